// The element-pair table follows the rule its documentation states, for every pair, in both orders.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/params.h"
#include "sim/reaction_table.h"
#include "sim/units.h"

namespace live2::sim {
namespace {

TEST(ReactionTable, EveryPairFollowsTheStatedRule) {
  for (Element a : kAllElements) {
    for (Element b : kAllElements) {
      const BondEnergetics e = bond_energetics(a, b, kDefaultChemistryScale);
      const double bde = bond_dissociation_enthalpy_kj_per_mol(a, b);
      const std::string pair = std::string(element_symbol(a)) + "-" + std::string(element_symbol(b));
      EXPECT_GT(bde, 100.0) << pair;  // every pair has a value
      // D = s * BDE with epsilon = k_B * 300 K = 2.494339 kJ/mol: BDE / 24.94 at the default s = 1/10.
      EXPECT_DOUBLE_EQ(e.dissociation_energy, bde / 10.0 / 2.49433878544596) << pair;
      EXPECT_DOUBLE_EQ(e.activation_energy, std::max(0.3, 2.5 - 0.3 * e.dissociation_energy)) << pair;
      EXPECT_EQ(bond_energetics(b, a, kDefaultChemistryScale).dissociation_energy, e.dissociation_energy) << pair;
      EXPECT_EQ(bond_energetics(b, a, kDefaultChemistryScale).activation_energy, e.activation_energy) << pair;
    }
  }
}

TEST(ReactionTable, StrongBondsAreHarderToBreakThanWeakOnes) {
  const double s = kDefaultChemistryScale;
  EXPECT_GT(bond_energetics(Element::O, Element::H, s).dissociation_energy,
            bond_energetics(Element::O, Element::O, s).dissociation_energy);
  EXPECT_LT(bond_energetics(Element::O, Element::H, s).activation_energy,
            bond_energetics(Element::O, Element::O, s).activation_energy);
}

// The scale s is the only conversion: at s = 1 a bond is as deep as the real one (463 kJ/mol for O-H, 185.6 kT at
// 300 K), and D / kT depends on T / s alone, so 300 K at s = 1/30 is real chemistry at 9,000 K.
TEST(ReactionTable, TheChemistryScaleSetsTheDepth) {
  EXPECT_NEAR(bond_energetics(Element::O, Element::H, 1.0).dissociation_energy * kEnergyUnitKJPerMol, 463.0, 1e-9);
  const double at_300_k = bond_energetics(Element::O, Element::H, 1.0 / 30.0).dissociation_energy / (300.0 / 300.0);
  const double real_at_9000_k = bond_energetics(Element::O, Element::H, 1.0).dissociation_energy / (9000.0 / 300.0);
  EXPECT_NEAR(at_300_k, real_at_9000_k, 1e-12);
}

}  // namespace
}  // namespace live2::sim
