// The model's Hamiltonian (docs/simulation.md, "Hamiltonian"): Lennard-Jones 12-6 (sigma = epsilon = 1 for every
// element pair) cut and shifted at `cutoff`, skipping covalently bonded pairs (1-2 exclusion), plus one term per bond
// -D + k/2 (r - r0)^2 with the depth D and rest length r0 of its element pair. Forces are summed
// per atom over its full neighbour list (fixed order, no write conflicts), so results are identical for any thread
// count. Thread safe for distinct outputs; loops run on the given ThreadTeam.
#pragma once

#include <array>
#include <vector>

#include "bond_graph.h"
#include "elements.h"
#include "neighbor_list.h"
#include "particle_arrays.h"
#include "reaction_table.h"
#include "thread_team.h"

namespace live2::sim {

struct ForceFieldParams {
  double box_size = 0.0;
  double cutoff = 2.5;
  double bond_stiffness = kBondStiffness;
  std::array<double, kElementCount * kElementCount> bond_rest_length{};  // [type_a * kElementCount + type_b]
  std::array<double, kElementCount * kElementCount> bond_depth{};        // D, same indexing; 0 in the LJ benchmark
};

// The model's force field for a box: LJ cut at 2.5 (shortened to L/2 - skin in boxes too small for minimum image)
// rest lengths r0 = radius_a + radius_b and depths D from the reaction table.
ForceFieldParams model_force_field(double box_size, double skin, double chemistry_scale);

// Writes particles.fx/fy. Minimum-image displacements; positions may lie up to skin/2 outside [0, L).
void compute_forces(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                    const ForceFieldParams& params, ThreadTeam& team);
// The same, then the integrator's closing half kick v += half_dt * F / m in the same pass over the atoms.
void compute_forces_and_kick(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                             const ForceFieldParams& params, ThreadTeam& team, double half_dt);

struct PotentialEnergy {
  double lennard_jones = 0.0;
  double bonds = 0.0;   // sum over bonds of -D + k/2 (r - r0)^2
  double virial = 0.0;  // W = sum over interacting pairs of r_ij . F_ij (LJ and bonds), for the pressure
  double total() const { return lennard_jones + bonds; }
};
// Sums per-atom energies and virials in slot order (thread-count independent). `scratch` avoids reallocation.
PotentialEnergy compute_potential_energy(const ParticleArrays& particles, const NeighborList& neighbors,
                                         const BondGraph& bonds, const ForceFieldParams& params, ThreadTeam& team,
                                         std::vector<double>& scratch);

// Recomputes fx/fy of the atoms in two slots only (after a bond between them formed or broke: no other atom's force
// changes). Gives exactly the values a full compute_forces would.
void recompute_pair_forces(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                           const ForceFieldParams& params, uint32_t slot_a, uint32_t slot_b);

// U(bonded) - U(not bonded) for a pair of these types at distance r: the bond term -D + k/2 (r - r0)^2 switched on and
// the pair's (shifted) LJ term switched off. The energy change of a bond-forming move; minus it for a breaking move.
double bond_switch_energy(const ForceFieldParams& params, int type_a, int type_b, double r);

// 2-D pressure from the virial theorem, P A = N kT + W / 2 with N kT = K (two degrees of freedom per atom).
inline double virial_pressure(double kinetic_energy, double virial, double area) {
  return (kinetic_energy + 0.5 * virial) / area;
}

}  // namespace live2::sim
