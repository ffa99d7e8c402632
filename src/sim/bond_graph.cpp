#include "bond_graph.h"

#include <algorithm>
#include <cassert>

namespace live2::sim {

int BondGraph::partner_index(uint32_t atom, uint32_t partner) const {
  const uint32_t* p = partners(atom);
  for (int k = 0; k < degree_[atom]; ++k) {
    if (p[k] == partner) return k;
  }
  return -1;
}

int BondGraph::order(uint32_t a, uint32_t b) const {
  const int k = partner_index(a, b);
  return k < 0 ? 0 : orders(a)[k];
}

void BondGraph::add(uint32_t a, uint32_t b, int order) {
  assert(a != b && !bonded(a, b) && degree_[a] < kMaxValence && degree_[b] < kMaxValence);
  assert(order >= 1 && order <= kMaxBondOrder);
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    const size_t k = size_t{from} * kMaxValence + degree_[from]++;
    partners_[k] = to;
    orders_[k] = static_cast<uint8_t>(order);
    valence_used_[from] = static_cast<uint8_t>(valence_used_[from] + order);
  }
  ++bond_count_;
}

void BondGraph::remove(uint32_t a, uint32_t b) {
  auto drop = [this](uint32_t from, uint32_t partner) {
    const size_t base = size_t{from} * kMaxValence;
    uint32_t* p = &partners_[base];
    const int k = partner_index(from, partner);
    assert(k >= 0);
    valence_used_[from] = static_cast<uint8_t>(valence_used_[from] - orders_[base + k]);
    // Keep order so force sums stay in a reproducible order.
    std::copy(p + k + 1, p + degree_[from], p + k);
    std::copy(&orders_[base + k + 1], &orders_[base + degree_[from]], &orders_[base + k]);
    --degree_[from];
  };
  drop(a, b);
  drop(b, a);
  --bond_count_;
}

void BondGraph::set_order(uint32_t a, uint32_t b, int order) {
  assert(order >= 1 && order <= kMaxBondOrder);
  for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
    const size_t base = size_t{from} * kMaxValence;
    const int k = partner_index(from, to);
    assert(k >= 0);
    valence_used_[from] = static_cast<uint8_t>(valence_used_[from] - orders_[base + k] + order);
    orders_[base + k] = static_cast<uint8_t>(order);
  }
}

std::optional<BondGraph> BondGraph::from_raw(std::vector<uint32_t> partners, std::vector<uint8_t> degrees,
                                             std::vector<uint8_t> orders) {
  if (partners.size() != degrees.size() * kMaxValence || orders.size() != partners.size()) return std::nullopt;
  BondGraph graph;
  graph.partners_ = std::move(partners);
  graph.orders_ = std::move(orders);
  graph.degree_ = std::move(degrees);
  graph.valence_used_.assign(graph.degree_.size(), 0);
  for (uint8_t d : graph.degree_) {
    if (d > kMaxValence) return std::nullopt;
  }
  int64_t bond_ends = 0;
  for (uint32_t a = 0; a < graph.atoms(); ++a) {
    int used = 0;
    for (int k = 0; k < graph.degree_[a]; ++k) {
      const uint32_t b = graph.partners(a)[k];
      const int order = graph.orders(a)[k];
      if (b >= graph.atoms() || b == a || order < 1 || order > kMaxBondOrder || graph.order(b, a) != order) {
        return std::nullopt;
      }
      used += order;
    }
    graph.valence_used_[a] = static_cast<uint8_t>(used);
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
