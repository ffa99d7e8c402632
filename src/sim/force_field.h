// Forces of the model: Lennard-Jones 12-6 (sigma = epsilon = 1 for every element pair) cut and shifted at `cutoff`,
// skipping covalently bonded pairs, plus harmonic bonds k/2 (r - r0)^2 with r0 per element pair. Forces are summed
// per atom over its full neighbour list (fixed order, no write conflicts), so results are identical for any thread
// count. Thread safe for distinct outputs; loops run on the given ThreadTeam.
#pragma once

#include <array>
#include <vector>

#include "bond_graph.h"
#include "elements.h"
#include "neighbor_list.h"
#include "particle_arrays.h"
#include "thread_team.h"

namespace live2::sim {

struct ForceFieldParams {
  double box_size = 0.0;
  double cutoff = 2.5;
  double bond_stiffness = 400.0;
  std::array<double, kElementCount * kElementCount> bond_rest_length{};  // [type_a * kElementCount + type_b]
};

// The model's force field for a box: LJ cut at 2.5 (shortened to L/2 - skin in boxes too small for minimum image)
// and rest lengths r0 = radius_a + radius_b.
ForceFieldParams model_force_field(double box_size, double skin);

// Writes particles.fx/fy. Minimum-image displacements; positions may lie up to skin/2 outside [0, L).
void compute_forces(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                    const ForceFieldParams& params, ThreadTeam& team);
// The same, then the integrator's closing half kick v += half_dt * F / m in the same pass over the atoms.
void compute_forces_and_kick(ParticleArrays& particles, const NeighborList& neighbors, const BondGraph& bonds,
                             const ForceFieldParams& params, ThreadTeam& team, double half_dt);

struct PotentialEnergy {
  double lennard_jones = 0.0;
  double bonds = 0.0;
  double total() const { return lennard_jones + bonds; }
};
// Sums per-atom energies in slot order (thread-count independent). `scratch` avoids reallocation.
PotentialEnergy compute_potential_energy(const ParticleArrays& particles, const NeighborList& neighbors,
                                         const BondGraph& bonds, const ForceFieldParams& params, ThreadTeam& team,
                                         std::vector<double>& scratch);

// Harmonic stretch energy of one bond at distance r.
double bond_stretch_energy(const ForceFieldParams& params, int type_a, int type_b, double r);

}  // namespace live2::sim
