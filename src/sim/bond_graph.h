// The covalent bond graph, indexed by atom id (stable across slot re-sorting), with a bond order (1, 2 or 3) per bond.
// Each atom holds at most kMaxValence partners; callers check the element's valence (the sum of its bond orders)
// before adding a bond or raising an order. Not thread safe for writes; concurrent reads are fine.
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
  static constexpr int kMaxBondOrder = 3;

  explicit BondGraph(size_t atoms)
      : partners_(atoms * kMaxValence), orders_(atoms * kMaxValence), degree_(atoms, 0), valence_used_(atoms, 0) {}

  size_t atoms() const { return degree_.size(); }
  int64_t bond_count() const { return bond_count_; }
  int degree(uint32_t atom) const { return degree_[atom]; }
  const uint32_t* partners(uint32_t atom) const { return &partners_[size_t{atom} * kMaxValence]; }
  const uint8_t* orders(uint32_t atom) const { return &orders_[size_t{atom} * kMaxValence]; }  // of partners(atom)
  int valence_used(uint32_t atom) const { return valence_used_[atom]; }  // sum of the orders of the atom's bonds
  bool bonded(uint32_t a, uint32_t b) const { return order(a, b) != 0; }
  int order(uint32_t a, uint32_t b) const;  // 0 when not bonded
  int partner_index(uint32_t atom, uint32_t partner) const;  // where partner is in partners(atom); -1 if not bonded

  void add(uint32_t a, uint32_t b, int order = 1);  // a and b must not be bonded and must have a free partner slot
  void remove(uint32_t a, uint32_t b);               // a and b must be bonded
  void set_order(uint32_t a, uint32_t b, int order);  // a and b must be bonded; 1 <= order <= kMaxBondOrder

  // The raw storage, partner order included (it fixes the order in which bond forces are summed), for checkpoints.
  const std::vector<uint32_t>& raw_partners() const { return partners_; }
  const std::vector<uint8_t>& raw_degrees() const { return degree_; }
  const std::vector<uint8_t>& raw_orders() const { return orders_; }
  // Rebuilds a graph from raw storage; nullopt if it is inconsistent (sizes, ids, degrees, orders outside 1..3 or
  // asymmetric bonds).
  static std::optional<BondGraph> from_raw(std::vector<uint32_t> partners, std::vector<uint8_t> degrees,
                                           std::vector<uint8_t> orders);

  // Every bond once as (lower id, higher id), sorted.
  std::vector<std::pair<uint32_t, uint32_t>> sorted_bonds() const;

 private:
  std::vector<uint32_t> partners_;  // kMaxValence per atom, first degree_[atom] valid, kept in insertion order
  std::vector<uint8_t> orders_;     // the same layout: the order of the bond to partners_[k]
  std::vector<uint8_t> degree_;
  std::vector<uint8_t> valence_used_;
  int64_t bond_count_ = 0;
};

// One pair whose bond is taken as having order `order` (0: no bond): the graph as it is just after a bond event that
// `bonds` does not hold yet. The default names no pair.
struct PairToggle {
  static constexpr uint32_t kNoAtom = 0xffffffffu;
  uint32_t a = kNoAtom, b = kNoAtom;
  int order = 0;
  bool names(uint32_t x, uint32_t y) const { return (x == a && y == b) || (x == b && y == a); }
};

// Calls visit(partner, order) for every bond of `atom` in `bonds` with `toggle` applied.
template <typename Visit>
void for_each_bond(const BondGraph& bonds, uint32_t atom, const PairToggle& toggle, Visit&& visit) {
  const bool toggled_atom = atom == toggle.a || atom == toggle.b;
  for (int k = 0; k < bonds.degree(atom); ++k) {
    const uint32_t partner = bonds.partners(atom)[k];
    if (toggled_atom && toggle.names(atom, partner)) continue;
    visit(partner, static_cast<int>(bonds.orders(atom)[k]));
  }
  if (toggled_atom && toggle.order > 0) visit(atom == toggle.a ? toggle.b : toggle.a, toggle.order);
}

// Calls visit(partner) for every bond partner of `atom` in `bonds` with `toggle` applied.
template <typename Visit>
void for_each_partner(const BondGraph& bonds, uint32_t atom, const PairToggle& toggle, Visit&& visit) {
  for_each_bond(bonds, atom, toggle, [&](uint32_t partner, int) { visit(partner); });
}

}  // namespace live2::sim
