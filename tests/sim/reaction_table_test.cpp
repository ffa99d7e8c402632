// The element-pair table follows the rule its documentation states, for every pair, in both orders.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/reaction_table.h"

namespace live2::sim {
namespace {

TEST(ReactionTable, EveryPairFollowsTheStatedRule) {
  for (Element a : kAllElements) {
    for (Element b : kAllElements) {
      const BondEnergetics e = bond_energetics(a, b);
      const double bde = bond_dissociation_enthalpy_kj_per_mol(a, b);
      const std::string pair = std::string(element_symbol(a)) + "-" + std::string(element_symbol(b));
      EXPECT_GT(bde, 100.0) << pair;  // every pair has a value
      EXPECT_NEAR(e.dissociation_energy, bde / 75.0, 0.006) << pair;
      EXPECT_NEAR(e.activation_energy, std::max(0.3, 2.5 - 0.3 * e.dissociation_energy), 0.006) << pair;
      EXPECT_EQ(bond_energetics(b, a).dissociation_energy, e.dissociation_energy) << pair;
      EXPECT_EQ(bond_energetics(b, a).activation_energy, e.activation_energy) << pair;
    }
  }
}

TEST(ReactionTable, StrongBondsAreHarderToBreakThanWeakOnes) {
  EXPECT_GT(bond_energetics(Element::O, Element::H).dissociation_energy,
            bond_energetics(Element::O, Element::O).dissociation_energy);
  EXPECT_LT(bond_energetics(Element::O, Element::H).activation_energy,
            bond_energetics(Element::O, Element::O).activation_energy);
}

}  // namespace
}  // namespace live2::sim
