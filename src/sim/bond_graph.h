// The covalent bond graph, indexed by atom id (stable across slot re-sorting). Each atom holds at most kMaxValence
// partners; callers check the element's valence before adding. Not thread safe for writes; concurrent reads are fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "elements.h"

namespace live2::sim {

class BondGraph {
 public:
  BondGraph() = default;
  explicit BondGraph(size_t atoms) : partners_(atoms * kMaxValence), degree_(atoms, 0) {}

  size_t atoms() const { return degree_.size(); }
  int64_t bond_count() const { return bond_count_; }
  int degree(uint32_t atom) const { return degree_[atom]; }
  const uint32_t* partners(uint32_t atom) const { return &partners_[size_t{atom} * kMaxValence]; }
  bool bonded(uint32_t a, uint32_t b) const;

  void add(uint32_t a, uint32_t b);     // a and b must not be bonded and must have a free partner slot
  void remove(uint32_t a, uint32_t b);  // a and b must be bonded

  // The raw storage, partner order included (it fixes the order in which bond forces are summed), for checkpoints.
  const std::vector<uint32_t>& raw_partners() const { return partners_; }
  const std::vector<uint8_t>& raw_degrees() const { return degree_; }
  // Rebuilds a graph from raw storage; nullopt if it is inconsistent (sizes, ids, degrees or asymmetric bonds).
  static std::optional<BondGraph> from_raw(std::vector<uint32_t> partners, std::vector<uint8_t> degrees);

  // Every bond once as (lower id, higher id), sorted.
  std::vector<std::pair<uint32_t, uint32_t>> sorted_bonds() const;

 private:
  std::vector<uint32_t> partners_;  // kMaxValence per atom, first degree_[atom] valid, kept in insertion order
  std::vector<uint8_t> degree_;
  int64_t bond_count_ = 0;
};

}  // namespace live2::sim
