// Species keys: Hill formula + canonical graph hash, invariant under atom renumbering, different for isomers.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "sim/molecule_graph.h"

namespace live2::sim {
namespace {

struct Molecule {
  std::vector<Element> elements;
  std::vector<std::pair<uint32_t, uint32_t>> bonds;
};

// The key of `m` with its atoms renamed by `order` (atom i becomes order[i]).
std::string key_of(const Molecule& m, const std::vector<uint32_t>& order) {
  std::vector<Element> elements(m.elements.size());
  for (size_t i = 0; i < order.size(); ++i) elements[order[i]] = m.elements[i];
  BondGraph graph(elements.size());
  for (auto [a, b] : m.bonds) graph.add(order[a], order[b]);
  ComponentWalker walker(elements.size());
  const std::vector<uint32_t> atoms = walker.component(graph, order[0]);
  return species_key(hill_formula(count_elements(atoms, elements)), canonical_graph_hash(graph, atoms, elements));
}

std::string key_of(const Molecule& m) {
  std::vector<uint32_t> identity(m.elements.size());
  std::iota(identity.begin(), identity.end(), 0u);
  return key_of(m, identity);
}

using E = Element;
// Ethanol CH3-CH2-OH and dimethyl ether CH3-O-CH3: both C2H6O.
const Molecule kEthanol = {{E::C, E::C, E::O, E::H, E::H, E::H, E::H, E::H, E::H},
                           {{0, 1}, {1, 2}, {0, 3}, {0, 4}, {0, 5}, {1, 6}, {1, 7}, {2, 8}}};
const Molecule kDimethylEther = {{E::C, E::O, E::C, E::H, E::H, E::H, E::H, E::H, E::H},
                                 {{0, 1}, {1, 2}, {0, 3}, {0, 4}, {0, 5}, {2, 6}, {2, 7}, {2, 8}}};
// Butane and isobutane carbon skeletons (C4 chain vs branched), hydrogens omitted: both C4.
const Molecule kChain = {{E::C, E::C, E::C, E::C}, {{0, 1}, {1, 2}, {2, 3}}};
const Molecule kBranch = {{E::C, E::C, E::C, E::C}, {{0, 1}, {0, 2}, {0, 3}}};

TEST(SpeciesKey, FormatIsHillFormulaHashSixteenHex) {
  const std::string key = key_of(kEthanol);
  ASSERT_EQ(key.size(), std::string("C2H6O#").size() + 16);
  EXPECT_EQ(key.substr(0, 6), "C2H6O#");
  EXPECT_TRUE(std::all_of(key.begin() + 6, key.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }));
}

TEST(SpeciesKey, InvariantUnderAtomRenumbering) {
  const std::string reference = key_of(kEthanol);
  std::vector<uint32_t> order(kEthanol.elements.size());
  std::iota(order.begin(), order.end(), 0u);
  int permutations = 0;
  while (std::next_permutation(order.begin(), order.end()) && permutations < 500) {
    if (++permutations % 37 == 0) {
      EXPECT_EQ(key_of(kEthanol, order), reference);
    }
  }
  std::reverse(order.begin(), order.end());
  EXPECT_EQ(key_of(kEthanol, order), reference);
}

TEST(SpeciesKey, IsomersGetDifferentKeys) {
  EXPECT_NE(key_of(kEthanol), key_of(kDimethylEther));
  EXPECT_EQ(key_of(kEthanol).substr(0, 6), key_of(kDimethylEther).substr(0, 6));
  EXPECT_NE(key_of(kChain), key_of(kBranch));
}

TEST(SpeciesKey, KnownValueIsStableAcrossPlatforms) {
  // Pure 64-bit integer arithmetic: this literal must hold on every compiler and CPU. Changing the hash changes
  // every species key users have stored, so it needs a deliberate update here.
  EXPECT_EQ(key_of({{E::H, E::H}, {{0, 1}}}), "H2#c6f0e15daa18bf0e");
}

TEST(SpeciesKey, HillFormulaOrder) {
  ElementCounts counts{};
  counts[element_index(E::H)] = 2;
  counts[element_index(E::O)] = 1;
  EXPECT_EQ(hill_formula(counts), "H2O");
  counts[element_index(E::C)] = 1;
  counts[element_index(E::S)] = 1;
  EXPECT_EQ(hill_formula(counts), "CH2OS");
  counts = {};
  counts[element_index(E::N)] = 1;
  counts[element_index(E::H)] = 3;
  EXPECT_EQ(hill_formula(counts), "H3N");
}

}  // namespace
}  // namespace live2::sim
