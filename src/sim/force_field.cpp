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

// Minimum image for |d| < L, as selects so the pair loop vectorises.
inline double minimum_image(double d, double box, double half_box) {
  d = d > half_box ? d - box : d;
  return d < -half_box ? d + box : d;
}

// Four pairs at a time in explicit 4-wide vectors: the lists are padded to a multiple of NeighborList::kPadTo, so
// there is no remainder loop.
static_assert(NeighborList::kPadTo == 4);

// Force (and, if kEnergy, half of each pair's and bond's energy and virial) on the atom in `slot`.
template <bool kEnergy>
AtomForce atom_force(const ParticleArrays& p, const NeighborList& neighbors, const BondGraph& bonds,
                     const ForceFieldParams& params, uint32_t slot) {
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
  if (bonds.atoms() == 0) return out;
  const uint32_t atom = p.id[slot];
  const int type_i = p.type[slot];
  for (int b = 0; b < bonds.degree(atom); ++b) {
    const uint32_t j = p.slot_of_id[bonds.partners(atom)[b]];
    const double dx = minimum_image(xi - x[j], box, half_box);
    const double dy = minimum_image(yi - y[j], box, half_box);
    const double r = std::sqrt(dx * dx + dy * dy);
    const int pair = type_i * kElementCount + p.type[j];
    const double stretch = r - params.bond_rest_length[pair];
    const double f_over_r = -params.bond_stiffness * stretch / r;
    out.fx += f_over_r * dx;
    out.fy += f_over_r * dy;
    if constexpr (kEnergy) {
      out.bond_energy += 0.5 * (0.5 * params.bond_stiffness * stretch * stretch - params.bond_depth[pair]);
      out.virial += 0.5 * f_over_r * r * r;
    }
  }
  return out;
}

}  // namespace

ForceFieldParams model_force_field(double box_size, double skin, double chemistry_scale) {
  ForceFieldParams params;
  params.box_size = box_size;
  params.cutoff = std::min(2.5, 0.5 * box_size - skin);
  for (Element a : kAllElements) {
    for (Element b : kAllElements) {
      const int pair = element_index(a) * kElementCount + element_index(b);
      params.bond_rest_length[pair] = element_bond_radius(a) + element_bond_radius(b);
      params.bond_depth[pair] = bond_energetics(a, b, chemistry_scale).dissociation_energy;
    }
  }
  return params;
}

namespace {

template <bool kKick>
void forces_pass(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                 const ForceFieldParams& params, ThreadTeam& team, double half_dt) {
  team.run(static_cast<int64_t>(particles.size()), [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      const AtomForce f = atom_force<false>(particles, neighbors, bonds, params, static_cast<uint32_t>(i));
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
                    const ForceFieldParams& params, ThreadTeam& team) {
  forces_pass<false>(particles, neighbors, bonds, params, team, 0.0);
}

void compute_forces_and_kick(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                             const ForceFieldParams& params, ThreadTeam& team, double half_dt) {
  forces_pass<true>(particles, neighbors, bonds, params, team, half_dt);
}

PotentialEnergy compute_potential_energy(const ParticleArrays& particles, const NeighborList& neighbors,
                                         const BondGraph& bonds, const ForceFieldParams& params, ThreadTeam& team,
                                         std::vector<double>& scratch) {
  const auto n = static_cast<int64_t>(particles.size());
  scratch.resize(3 * particles.size());
  team.run(n, [&](int64_t begin, int64_t end, int) {
    for (int64_t i = begin; i < end; ++i) {
      const AtomForce f = atom_force<true>(particles, neighbors, bonds, params, static_cast<uint32_t>(i));
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
                           const ForceFieldParams& params, uint32_t slot_a, uint32_t slot_b) {
  for (uint32_t slot : {slot_a, slot_b}) {
    const AtomForce f = atom_force<false>(particles, neighbors, bonds, params, slot);
    particles.fx[slot] = f.fx;
    particles.fy[slot] = f.fy;
  }
}

double bond_switch_energy(const ForceFieldParams& params, int type_a, int type_b, double r) {
  const int pair = type_a * kElementCount + type_b;
  const double stretch = r - params.bond_rest_length[pair];
  const double bond = 0.5 * params.bond_stiffness * stretch * stretch - params.bond_depth[pair];
  if (r >= params.cutoff) return bond;
  const double inv_r6 = 1.0 / (r * r * r * r * r * r);
  return bond - (4.0 * inv_r6 * (inv_r6 - 1.0) - lj_shift(params.cutoff));
}

}  // namespace live2::sim
