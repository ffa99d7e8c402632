// Molecules as connected components of the bond graph, their Hill formulas and a canonical, platform-independent
// hash of the element-labelled graph (Weisfeiler-Lehman colour refinement with SplitMix64 mixing), giving species keys
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
  static constexpr uint32_t kNoAtom = 0xffffffffu;
  explicit ComponentWalker(size_t atoms) : stamp_(atoms, 0) {}
  // The atoms bonded (directly or not) to `start`, `start` first, in BFS order. If `cut_a`/`cut_b` name a bond, the
  // walk ignores it (used to see whether breaking it splits the molecule).
  const std::vector<uint32_t>& component(const BondGraph& bonds, uint32_t start, uint32_t cut_a = kNoAtom,
                                         uint32_t cut_b = kNoAtom);
  bool contains(uint32_t atom) const { return stamp_[atom] == generation_; }  // in the last component() result

 private:
  std::vector<uint32_t> stamp_;
  uint32_t generation_ = 0;
  std::vector<uint32_t> atoms_;
};

ElementCounts count_elements(const std::vector<uint32_t>& atoms, const std::vector<Element>& element_of_atom);

// Canonical hash of the component `atoms` (all bonds among them are in `bonds`).
uint64_t canonical_graph_hash(const BondGraph& bonds, const std::vector<uint32_t>& atoms,
                              const std::vector<Element>& element_of_atom);

std::string species_key(const std::string& formula, uint64_t graph_hash);  // "<formula>#<16 lowercase hex>"

}  // namespace live2::sim
