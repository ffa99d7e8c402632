#include "bond_graph.h"

#include <algorithm>
#include <cassert>

namespace live2::sim {

bool BondGraph::bonded(uint32_t a, uint32_t b) const {
  const uint32_t* p = partners(a);
  for (int k = 0; k < degree_[a]; ++k) {
    if (p[k] == b) return true;
  }
  return false;
}

void BondGraph::add(uint32_t a, uint32_t b) {
  assert(a != b && !bonded(a, b) && degree_[a] < kMaxValence && degree_[b] < kMaxValence);
  partners_[size_t{a} * kMaxValence + degree_[a]++] = b;
  partners_[size_t{b} * kMaxValence + degree_[b]++] = a;
  ++bond_count_;
}

void BondGraph::remove(uint32_t a, uint32_t b) {
  auto drop = [this](uint32_t from, uint32_t partner) {
    uint32_t* p = &partners_[size_t{from} * kMaxValence];
    uint32_t* end = p + degree_[from];
    uint32_t* found = std::find(p, end, partner);
    assert(found != end);
    std::copy(found + 1, end, found);  // keep order so force sums stay in a reproducible order
    --degree_[from];
  };
  drop(a, b);
  drop(b, a);
  --bond_count_;
}

std::optional<BondGraph> BondGraph::from_raw(std::vector<uint32_t> partners, std::vector<uint8_t> degrees) {
  if (partners.size() != degrees.size() * kMaxValence) return std::nullopt;
  BondGraph graph;
  graph.partners_ = std::move(partners);
  graph.degree_ = std::move(degrees);
  for (uint8_t d : graph.degree_) {
    if (d > kMaxValence) return std::nullopt;
  }
  int64_t bond_ends = 0;
  for (uint32_t a = 0; a < graph.atoms(); ++a) {
    for (int k = 0; k < graph.degree_[a]; ++k) {
      const uint32_t b = graph.partners(a)[k];
      if (b >= graph.atoms() || b == a || !graph.bonded(b, a)) return std::nullopt;
    }
    bond_ends += graph.degree_[a];
  }
  graph.bond_count_ = bond_ends / 2;
  return graph;
}

std::vector<std::pair<uint32_t, uint32_t>> BondGraph::sorted_bonds() const {
  std::vector<std::pair<uint32_t, uint32_t>> bonds;
  bonds.reserve(static_cast<size_t>(bond_count_));
  for (uint32_t a = 0; a < atoms(); ++a) {
    for (int k = 0; k < degree_[a]; ++k) {
      if (partners(a)[k] > a) bonds.emplace_back(a, partners(a)[k]);
    }
  }
  std::sort(bonds.begin(), bonds.end());
  return bonds;
}

}  // namespace live2::sim
