#include "force_field.h"

#include <algorithm>
#include <cmath>

#include "reaction_table.h"
#include "vector4.h"

namespace live2::sim {
namespace {

struct AtomForce {
  double fx = 0.0, fy = 0.0, lj_energy = 0.0, bond_energy = 0.0, virial = 0.0;
};

double lj_shift(double cutoff) {
  const double inv_cut6 = 1.0 / (cutoff * cutoff * cutoff * cutoff * cutoff * cutoff);
  return 4.0 * inv_cut6 * (inv_cut6 - 1.0);
}

// dE/dc of angle_energy.
double angle_slope(Hybridisation h, double stiffness, double c) {
  switch (h) {
    case Hybridisation::sp:
      return stiffness;
    case Hybridisation::sp2:
      return stiffness / 3.0 * (1.0 - 4.0 * c * c);
    case Hybridisation::sp3:
      break;
  }
  return stiffness * (c - 2.0 * c * c * c);
}

BondArm arm(const ParticleArrays& p, double box, double half_box, uint32_t from_slot, uint32_t to_slot) {
  const double dx = minimum_image(p.x[to_slot] - p.x[from_slot], box, half_box);
  const double dy = minimum_image(p.y[to_slot] - p.y[from_slot], box, half_box);
  const double length = std::sqrt(dx * dx + dy * dy);
  return {dx, dy, length, 1.0 / length};
}

// cos(theta) between two arms of one atom, and the derivative of c with respect to the end of `u`: (v^ - c u^) / |u|.
struct AngleGeometry {
  double c, dcx, dcy;
};

AngleGeometry angle_geometry(const BondArm& u, const BondArm& v) {
  const double ux = u.x * u.inv_length, uy = u.y * u.inv_length;
  const double vx = v.x * v.inv_length, vy = v.y * v.inv_length;
  const double c = ux * vx + uy * vy;
  return {c, (vx - c * ux) * u.inv_length, (vy - c * uy) * u.inv_length};
}

// Four pairs at a time in explicit 4-wide vectors: the lists are padded to a multiple of NeighborList::kPadTo, so
// there is no remainder loop.
static_assert(NeighborList::kPadTo == 4);

// The angle terms' force on the atom in `slot`: of the angles centred on it and of those it ends (centred on a bond
// partner). With kEnergy also the energy and virial of the angles centred on it (each angle once, at its centre).
template <bool kEnergy>
void add_angle_forces(const ParticleArrays& p, const BondGraph& bonds, const BondGeometry& geometry,
                      const ForceFieldParams& params, uint32_t slot, AtomForce& out) {
  const double stiffness = params.angle_stiffness;
  const uint32_t atom = p.id[slot];
  const int degree = bonds.degree(atom);
  if (degree == 0 || stiffness == 0.0) return;
  if (degree >= 2) {
    const BondArm* arms = geometry.arms(slot);
    const Hybridisation h = geometry.hybridisation(atom);
    for (int i = 0; i < degree; ++i) {
      for (int k = i + 1; k < degree; ++k) {
        const AngleGeometry at_i = angle_geometry(arms[i], arms[k]);
        const AngleGeometry at_k = angle_geometry(arms[k], arms[i]);
        const double slope = angle_slope(h, stiffness, at_i.c);
        // The centre moves opposite to both ends: F_centre = -dE/dc dc/dx_centre = slope (dc/dx_i + dc/dx_k).
        out.fx += slope * (at_i.dcx + at_k.dcx);
        out.fy += slope * (at_i.dcy + at_k.dcy);
        // An angle does not change when the molecule is scaled, so its virial is zero.
        if constexpr (kEnergy) out.bond_energy += angle_energy(h, stiffness, at_i.c);
      }
    }
  }
  for (int b = 0; b < degree; ++b) {
    const uint32_t centre = bonds.partners(atom)[b];
    const int centre_degree = bonds.degree(centre);
    if (centre_degree < 2) continue;
    const Hybridisation h = geometry.hybridisation(centre);
    const BondArm* centre_arms = geometry.arms(p.slot_of_id[centre]);
    const int me = bonds.partner_index(centre, atom);
    for (int k = 0; k < centre_degree; ++k) {
      if (k == me) continue;
      const AngleGeometry g = angle_geometry(centre_arms[me], centre_arms[k]);
      const double slope = angle_slope(h, stiffness, g.c);
      out.fx -= slope * g.dcx;
      out.fy -= slope * g.dcy;
    }
  }
}

// Force (and, if kEnergy, half of each pair's and bond's energy and virial, and the angles centred on it) on the atom
// in `slot`.
template <bool kEnergy>
AtomForce atom_force(const ParticleArrays& p, const NeighborList& neighbors, const BondGraph& bonds,
                     const BondGeometry& geometry, const ForceFieldParams& params, uint32_t slot) {
  const double box = params.box_size, half_box = 0.5 * params.box_size;
  const double cutoff2 = params.cutoff * params.cutoff;
  const double energy_shift = lj_shift(params.cutoff);
  const double* x = p.x.data();
  const double* y = p.y.data();
  const double xi = x[slot], yi = y[slot];
  const uint32_t* list = neighbors.entries(slot);
  const uint32_t count = neighbors.count(slot);
  const Double4 box4 = splat(box), half4 = splat(half_box), cutoff2_4 = splat(cutoff2), zero = splat(0.0);
  const Double4 xi4 = splat(xi), yi4 = splat(yi);
  Double4 fx4 = zero, fy4 = zero, energy4 = zero, virial4 = zero;
  for (uint32_t k = 0; k < count; k += 4) {
    const uint32_t e0 = list[k], e1 = list[k + 1], e2 = list[k + 2], e3 = list[k + 3];
    constexpr uint32_t m = NeighborList::kSlotMask;
    const Double4 dx = minimum_image4(xi4 - Double4{x[e0 & m], x[e1 & m], x[e2 & m], x[e3 & m]}, box4, half4);
    const Double4 dy = minimum_image4(yi4 - Double4{y[e0 & m], y[e1 & m], y[e2 & m], y[e3 & m]}, box4, half4);
    const Double4 r2 = dx * dx + dy * dy;
    const Mask4 unbonded = Mask4{e0 >> 31, e1 >> 31, e2 >> 31, e3 >> 31} == 0;
    const Mask4 interacts = (r2 < cutoff2_4) & unbonded;
    const Double4 inv_r2 = 1.0 / r2;
    const Double4 inv_r6 = inv_r2 * inv_r2 * inv_r2;
    const Double4 f_over_r = interacts ? 24.0 * inv_r6 * (2.0 * inv_r6 - 1.0) * inv_r2 : zero;
    fx4 += f_over_r * dx;
    fy4 += f_over_r * dy;
    if constexpr (kEnergy) {
      energy4 += interacts ? 0.5 * (4.0 * inv_r6 * (inv_r6 - 1.0) - energy_shift) : zero;
      virial4 += 0.5 * f_over_r * r2;
    }
  }
  const double fx = lane_sum(fx4), fy = lane_sum(fy4), energy = lane_sum(energy4);
  AtomForce out{fx, fy, energy, 0.0, kEnergy ? lane_sum(virial4) : 0.0};
  const uint32_t atom = p.id[slot];
  if (bonds.atoms() == 0 || bonds.degree(atom) == 0) return out;  // no bond terms, no angles (and maybe no arms held)
  const int type_i = p.type[slot];
  const BondArm* arms = geometry.arms(slot);
  for (int b = 0; b < bonds.degree(atom); ++b) {
    const uint32_t j = p.slot_of_id[bonds.partners(atom)[b]];
    const double r = arms[b].length;
    const int pair = ForceFieldParams::bond_index(type_i, p.type[j], bonds.orders(atom)[b]);
    const double stretch = r - params.bond_rest_length[pair];
    const double f_over_r = -params.bond_stiffness * stretch / r;
    out.fx -= f_over_r * arms[b].x;  // the arm points from this atom to j
    out.fy -= f_over_r * arms[b].y;
    if constexpr (kEnergy) {
      out.bond_energy += 0.5 * (0.5 * params.bond_stiffness * stretch * stretch - params.bond_depth[pair]);
      out.virial += 0.5 * f_over_r * r * r;
    }
  }
  add_angle_forces<kEnergy>(p, bonds, geometry, params, slot, out);
  return out;
}

// Marks the entries of the atom in `slot` within marks.reach2 in its words (zeroed). A pass of its own, right after the
// atom's forces while its neighbours' positions are in cache: folded into the force loop, it changed how the compiler
// rounds the forces.
void mark_reach(const ParticleArrays& p, const NeighborList& neighbors, const ForceFieldParams& params, uint32_t slot,
                ReachMarks& marks) {
  const double* x = p.x.data();
  const double* y = p.y.data();
  const uint8_t* type = p.type.data();
  const uint32_t* list = neighbors.entries(slot);
  const double* reach2_row = &marks.reach2[p.type[slot] * kElementCount];
  uint32_t* words = &marks.bits[slot * marks.words_per_slot];
  const Double4 box4 = splat(params.box_size), half4 = splat(0.5 * params.box_size);
  const Double4 xi4 = splat(x[slot]), yi4 = splat(y[slot]);
  for (uint32_t k = 0; k < neighbors.count(slot); k += 4) {
    constexpr uint32_t m = NeighborList::kSlotMask;
    const uint32_t e0 = list[k] & m, e1 = list[k + 1] & m, e2 = list[k + 2] & m, e3 = list[k + 3] & m;
    const Double4 dx = minimum_image4(xi4 - Double4{x[e0], x[e1], x[e2], x[e3]}, box4, half4);
    const Double4 dy = minimum_image4(yi4 - Double4{y[e0], y[e1], y[e2], y[e3]}, box4, half4);
    const Double4 reach2 = {reach2_row[type[e0]], reach2_row[type[e1]], reach2_row[type[e2]], reach2_row[type[e3]]};
    words[k / 32] |= lane_bits(dx * dx + dy * dy < reach2) << (k % 32);  // k is a multiple of 4
  }
}

}  // namespace

double angle_energy(Hybridisation h, double stiffness, double c) {
  switch (h) {
    case Hybridisation::sp:
      return stiffness * (1.0 + c);
    case Hybridisation::sp2:
      return stiffness / 9.0 * (1.0 + 3.0 * c - 4.0 * c * c * c);
    case Hybridisation::sp3:
      break;
  }
  return 0.5 * stiffness * c * c * (1.0 - c * c);
}

double largest_angle_energy(Hybridisation h, double stiffness) {
  switch (h) {
    case Hybridisation::sp:
      return 2.0 * stiffness;
    case Hybridisation::sp2:
      return 2.0 * stiffness / 9.0;
    case Hybridisation::sp3:
      break;
  }
  return stiffness / 8.0;
}

namespace {

Hybridisation hybridisation_of(const int* orders, int degree) {
  int doubles = 0, triples = 0;
  for (int k = 0; k < degree; ++k) {
    doubles += orders[k] == 2 ? 1 : 0;
    triples += orders[k] == 3 ? 1 : 0;
  }
  if (triples > 0 || doubles >= 2) return Hybridisation::sp;
  return doubles == 1 ? Hybridisation::sp2 : Hybridisation::sp3;
}

}  // namespace

Hybridisation hybridisation(const BondGraph& bonds, uint32_t atom, const PairToggle& toggle) {
  std::array<int, kMaxValence> orders{};
  int degree = 0;
  for_each_bond(bonds, atom, toggle, [&](uint32_t, int order) { orders[degree++] = order; });
  return hybridisation_of(orders.data(), degree);
}

double angle_energy_at(const ParticleArrays& p, const BondGraph& bonds, const BondGeometry& geometry,
                       const ForceFieldParams& params, uint32_t atom, const PairToggle& toggle,
                       const PairToggle& second) {
  const double box = params.box_size, half_box = 0.5 * params.box_size;
  const uint32_t slot = p.slot_of_id[atom];
  // The atom's bonds with `toggle` applied, then `second` (one slot spare: a move may add before it removes), and their
  // arms: from the geometry for the bonds it has, computed for a new one.
  std::array<BondArm, kMaxValence + 1> arms;
  std::array<int, kMaxValence + 1> orders{};
  int degree = 0;
  const auto add = [&](uint32_t partner, int order) {
    const int k = bonds.partner_index(atom, partner);
    arms[degree] = k >= 0 ? geometry.arms(slot)[k] : arm(p, box, half_box, slot, p.slot_of_id[partner]);
    orders[degree++] = order;
  };
  for_each_bond(bonds, atom, toggle, [&](uint32_t partner, int order) {
    if (!second.names(atom, partner)) add(partner, order);
  });
  if ((atom == second.a || atom == second.b) && second.order > 0) {
    add(atom == second.a ? second.b : second.a, second.order);
  }
  if (degree < 2 || params.angle_stiffness == 0.0) return 0.0;
  const Hybridisation h = hybridisation_of(orders.data(), degree);
  double energy = 0.0;
  for (int i = 0; i < degree; ++i) {
    for (int k = i + 1; k < degree; ++k) {
      energy += angle_energy(h, params.angle_stiffness, angle_geometry(arms[i], arms[k]).c);
    }
  }
  return energy;
}

void BondGeometry::compute_arms(const ParticleArrays& p, const ForceFieldParams& params, const ListedBond* listed,
                                int64_t count) {
  // One vector for four bonds (unused lanes repeat the last): the lanes' arithmetic is the scalar arm()'s, so the
  // values are the same bits, and the partner's arm is the exact negative (minimum_image is odd).
  std::array<uint32_t, 4> from, to;
  for (int lane = 0; lane < 4; ++lane) {
    const ListedBond& bond = listed[std::min<int64_t>(lane, count - 1)];
    from[lane] = p.slot_of_id[bond.atom];
    to[lane] = p.slot_of_id[bond.partner];
  }
  const double* x = p.x.data();
  const double* y = p.y.data();
  const Double4 box4 = splat(params.box_size), half4 = splat(0.5 * params.box_size);
  const Double4 dx = minimum_image4(
      Double4{x[to[0]], x[to[1]], x[to[2]], x[to[3]]} - Double4{x[from[0]], x[from[1]], x[from[2]], x[from[3]]}, box4,
      half4);
  const Double4 dy = minimum_image4(
      Double4{y[to[0]], y[to[1]], y[to[2]], y[to[3]]} - Double4{y[from[0]], y[from[1]], y[from[2]], y[from[3]]}, box4,
      half4);
  const Double4 length = sqrt4(dx * dx + dy * dy);
  const Double4 inv_length = 1.0 / length;
  for (int lane = 0; lane < count && lane < 4; ++lane) {
    arms_[size_t{from[lane]} * kMaxValence + listed[lane].index_at_atom] = {dx[lane], dy[lane], length[lane],
                                                                            inv_length[lane]};
    arms_[size_t{to[lane]} * kMaxValence + listed[lane].index_at_partner] = {-dx[lane], -dy[lane], length[lane],
                                                                             inv_length[lane]};
  }
}

void BondGeometry::update(const ParticleArrays& p, const BondGraph& bonds, const ForceFieldParams& params,
                          uint32_t atom) {
  if (arms_.empty()) arms_.resize(bonds.atoms() * kMaxValence);  // the first bond of a run that started with none
  std::array<ListedBond, kMaxValence> own;
  for (int k = 0; k < bonds.degree(atom); ++k) {
    const uint32_t partner = bonds.partners(atom)[k];
    own[k] = {atom, partner, static_cast<uint8_t>(k), static_cast<uint8_t>(bonds.partner_index(partner, atom))};
  }
  if (bonds.degree(atom) > 0) compute_arms(p, params, own.data(), bonds.degree(atom));
  hybridisation_[atom] = live2::sim::hybridisation(bonds, atom);
  listed_stale_ = true;
}

void BondGeometry::move(const ParticleArrays& p, const BondGraph& bonds, const ForceFieldParams& params,
                        ThreadTeam& team) {
  if (bonds.bond_count() == 0) return;
  if (listed_stale_) {
    listed_.clear();
    for (uint32_t atom = 0; atom < bonds.atoms(); ++atom) {
      for (int k = 0; k < bonds.degree(atom); ++k) {
        const uint32_t partner = bonds.partners(atom)[k];
        if (partner < atom) continue;
        listed_.push_back(
            {atom, partner, static_cast<uint8_t>(k), static_cast<uint8_t>(bonds.partner_index(partner, atom))});
      }
    }
    listed_stale_ = false;
  }
  // Four bonds at a time. Two chunks never write the same arm.
  team.run(static_cast<int64_t>(listed_.size()), [&](int64_t begin, int64_t end, int) {
    for (int64_t first = begin; first < end; first += 4) compute_arms(p, params, &listed_[first], end - first);
  });
}

void BondGeometry::compute(const ParticleArrays& p, const BondGraph& bonds, const ForceFieldParams& params,
                           ThreadTeam& team) {
  // No arms while there are no bonds: a run without reactions never holds the 128 bytes per atom.
  arms_.assign(bonds.bond_count() > 0 ? bonds.atoms() * kMaxValence : 0, BondArm{});
  hybridisation_.resize(bonds.atoms());
  for (uint32_t atom = 0; atom < bonds.atoms(); ++atom) hybridisation_[atom] = live2::sim::hybridisation(bonds, atom);
  listed_stale_ = true;
  move(p, bonds, params, team);
}

ForceFieldParams model_force_field(double box_size, double skin, double chemistry_scale) {
  ForceFieldParams params;
  params.box_size = box_size;
  params.cutoff = std::min(2.5, 0.5 * box_size - skin);
  constexpr std::array<double, BondGraph::kMaxBondOrder> kLengthFactor = {1.0, kDoubleBondLengthFactor,
                                                                         kTripleBondLengthFactor};
  for (Element a : kAllElements) {
    for (Element b : kAllElements) {
      for (int order = 1; order <= max_bond_order(a, b); ++order) {
        const int index = ForceFieldParams::bond_index(element_index(a), element_index(b), order);
        params.bond_rest_length[index] =
            kLengthFactor[order - 1] * (element_bond_radius(a) + element_bond_radius(b));
        params.bond_depth[index] = bond_energetics(a, b, chemistry_scale, order).dissociation_energy;
      }
    }
  }
  return params;
}

namespace {

template <bool kKick, bool kMark>
void forces_pass(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                 const ForceFieldParams& params, ThreadTeam& team, const BondGeometry& geometry, double half_dt,
                 ReachMarks* marks) {
  if constexpr (kMark) {
    marks->words_per_slot = (neighbors.longest_count() + 31) / 32;
    marks->bits.assign(marks->words_per_slot * particles.size(), 0);
  }
  team.run(static_cast<int64_t>(particles.size()), [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      const AtomForce f = atom_force<false>(particles, neighbors, bonds, geometry, params, static_cast<uint32_t>(i));
      if constexpr (kMark) mark_reach(particles, neighbors, params, static_cast<uint32_t>(i), *marks);
      particles.fx[i] = f.fx;
      particles.fy[i] = f.fy;
      if constexpr (kKick) {
        particles.vx[i] += half_dt * f.fx * particles.inv_mass[i];
        particles.vy[i] += half_dt * f.fy * particles.inv_mass[i];
      }
    }
  });
}

}  // namespace

void compute_forces(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                    const ForceFieldParams& params, ThreadTeam& team, BondGeometry& geometry) {
  geometry.compute(particles, bonds, params, team);
  forces_pass<false, false>(particles, neighbors, bonds, params, team, geometry, 0.0, nullptr);
}

void compute_forces_and_kick(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                             const ForceFieldParams& params, ThreadTeam& team, BondGeometry& geometry, double half_dt,
                             ReachMarks* marks) {
  geometry.move(particles, bonds, params, team);
  if (marks != nullptr) {
    forces_pass<true, true>(particles, neighbors, bonds, params, team, geometry, half_dt, marks);
  } else {
    forces_pass<true, false>(particles, neighbors, bonds, params, team, geometry, half_dt, nullptr);
  }
}

PotentialEnergy compute_potential_energy(const ParticleArrays& particles, const NeighborList& neighbors,
                                         const BondGraph& bonds, const ForceFieldParams& params,
                                         const BondGeometry& geometry, ThreadTeam& team, std::vector<double>& scratch) {
  const auto n = static_cast<int64_t>(particles.size());
  scratch.resize(3 * particles.size());
  team.run(n, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      const AtomForce f = atom_force<true>(particles, neighbors, bonds, geometry, params, static_cast<uint32_t>(i));
      scratch[3 * i] = f.lj_energy;
      scratch[3 * i + 1] = f.bond_energy;
      scratch[3 * i + 2] = f.virial;
    }
  });
  PotentialEnergy energy;
  for (int64_t i = 0; i < n; ++i) {
    energy.lennard_jones += scratch[3 * i];
    energy.bonds += scratch[3 * i + 1];
    energy.virial += scratch[3 * i + 2];
  }
  return energy;
}

void recompute_pair_forces(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                           const ForceFieldParams& params, BondGeometry& geometry, uint32_t atom_a, uint32_t atom_b) {
  geometry.update(particles, bonds, params, atom_a);
  geometry.update(particles, bonds, params, atom_b);
  const auto recompute = [&](uint32_t atom) {
    const uint32_t slot = particles.slot_of_id[atom];
    const AtomForce f = atom_force<false>(particles, neighbors, bonds, geometry, params, slot);
    particles.fx[slot] = f.fx;
    particles.fy[slot] = f.fy;
  };
  for (uint32_t atom : {atom_a, atom_b}) {
    recompute(atom);
    for (int k = 0; k < bonds.degree(atom); ++k) recompute(bonds.partners(atom)[k]);
  }
}

double bond_energy(const ForceFieldParams& params, int type_a, int type_b, int order, double r) {
  const int index = ForceFieldParams::bond_index(type_a, type_b, order);
  const double stretch = r - params.bond_rest_length[index];
  return 0.5 * params.bond_stiffness * stretch * stretch - params.bond_depth[index];
}

double bond_switch_energy(const ForceFieldParams& params, int type_a, int type_b, double r) {
  const double bond = bond_energy(params, type_a, type_b, 1, r);
  if (r >= params.cutoff) return bond;
  const double inv_r6 = 1.0 / (r * r * r * r * r * r);
  return bond - (4.0 * inv_r6 * (inv_r6 - 1.0) - lj_shift(params.cutoff));
}

}  // namespace live2::sim
