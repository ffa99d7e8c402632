// Molecules as connected components of the bond graph, their Hill formulas and a canonical, platform-independent
// hash of the element-labelled graph with bond orders (Weisfeiler-Lehman colour refinement with SplitMix64 mixing),
// giving species keys
// like "C2H6O#0123456789abcdef": the same molecule gets the same key under any atom numbering, isomers get different
// keys (up to WL's known blind spots, see docs/simulation.md). A ComponentWalker is not thread safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "bond_graph.h"
#include "elements.h"

namespace live2::sim {

using ElementCounts = std::array<int64_t, kElementCount>;

// Hill order: C, then H, then the rest alphabetically (N O P S); without carbon, alphabetical (H N O P S). With these
// six elements both cases reduce to the order C H N O P S. A count of 1 is not written.
std::string hill_formula(const ElementCounts& counts);

// Finds components by breadth-first search without clearing a visited array per call.
class ComponentWalker {
 public:
  explicit ComponentWalker(size_t atoms) : stamp_(atoms, 0) {}
  // The atoms bonded (directly or not) to `start`, `start` first, in BFS order, in `bonds` with `toggle` applied (used
  // to see the molecules just after a bond event).
  const std::vector<uint32_t>& component(const BondGraph& bonds, uint32_t start, const PairToggle& toggle = {});
  bool contains(uint32_t atom) const { return stamp_[atom] == generation_; }  // in the last component() result

 private:
  std::vector<uint32_t> stamp_;
  uint32_t generation_ = 0;
  std::vector<uint32_t> atoms_;
};

ElementCounts count_elements(const std::vector<uint32_t>& atoms, const std::vector<Element>& element_of_atom);

// Computes canonical hashes with reused scratch arrays (one index per atom id, the colour vectors), so hashing a
// molecule allocates nothing once the scratch has grown. Not thread safe.
class MoleculeHasher {
 public:
  explicit MoleculeHasher(size_t atoms) : local_(atoms, 0) {}
  // Canonical hash of the component `atoms` (all bonds among them are in `bonds` with `toggle` applied).
  uint64_t hash(const BondGraph& bonds, const std::vector<uint32_t>& atoms, const std::vector<Element>& element_of_atom,
                const PairToggle& toggle = {});

 private:
  std::vector<uint32_t> local_;  // atom id -> index in the component being hashed (only its atoms are read)
  std::vector<uint64_t> colour_, next_, neighbour_colours_, sorted_;
};

// The same as MoleculeHasher::hash with a one-off hasher.
uint64_t canonical_graph_hash(const BondGraph& bonds, const std::vector<uint32_t>& atoms,
                              const std::vector<Element>& element_of_atom, const PairToggle& toggle = {});

std::string species_key(const std::string& formula, uint64_t graph_hash);  // "<formula>#<16 lowercase hex>"

}  // namespace live2::sim
