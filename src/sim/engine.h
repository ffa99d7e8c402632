// The physics core shared by Simulation and the LJ benchmark: particles, bond graph, neighbour lists and the
// Langevin BAOAB integrator (Leimkuhler & Matthews 2013). One step: half kick (B), half drift (A), exact
// Ornstein-Uhlenbeck velocity update against the local bath (O), half drift (A), neighbour check, forces, half kick
// (B). The O step's noise is Gaussian (gaussian_noise.h) from the counter-based RNG keyed by (seed, step, atom id), so
// a step is a pure function of the state: bit-identical for any thread count. Friction 0 makes it velocity Verlet. Not thread safe; runs its loops on its own team of `threads`.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "bond_graph.h"
#include "force_field.h"
#include "heat_bath.h"
#include "neighbor_list.h"
#include "particle_arrays.h"
#include "thread_team.h"

namespace live2::sim {

struct EngineSettings {
  double box_size = 0.0;
  double dt = 0.005;
  double friction = 1.0;  // gamma, 1 / time (LAMMPS's Langevin damping time is 1 / gamma)
  double skin = 0.3;
  double chemistry_scale = 1.0 / 30.0;  // bond depths D = chemistry_scale * BDE (params.h)
  uint64_t seed = 0;
  int threads = 1;
};

class Engine {
 public:
  // Fresh start at step 0: builds the neighbour lists (re-sorting slots) and the initial forces.
  Engine(const EngineSettings& settings, ParticleArrays particles, BondGraph bonds);
  // Resume: slot order, positions, forces and reference positions exactly as saved; rebuilds the same lists. The
  // saved forces are used as they are (they are those of the saved bond graph, bit for bit).
  Engine(const EngineSettings& settings, ParticleArrays particles, BondGraph bonds, std::vector<double> reference_x,
         std::vector<double> reference_y, int64_t rebuilds, int64_t step);

  // Farthest an atom may move in one step: half an atom diameter. Beyond it collisions are no longer resolved (an atom
  // lands deep inside another's repulsive core), so energy explodes within a few steps; see docs/simulation.md,
  // "Stability".
  static constexpr double kMaxStepDisplacement = 0.5;

  // Advances the state by one dt. Returns false, without finishing the step, when an atom moved farther than
  // kMaxStepDisplacement or a position stopped being finite: the state is then meaningless and must not be advanced
  // again. The check reads only per-atom values, so it is as deterministic as the step itself.
  // With `marks`, the step's force pass marks the list entries within their reach (for a reaction sweep after it).
  [[nodiscard]] bool step(const HeatBath& bath, ReachMarks* marks = nullptr);
  int64_t step_index() const { return step_; }
  double time() const { return static_cast<double>(step_) * settings_.dt; }

  double kinetic_energy() const;      // sum of m v^2 / 2 in slot order
  PotentialEnergy potential_energy();  // LJ + bond energy (and the virial) at the current positions
  // Kinetic energy in the centre-of-mass frame (of the 2N - 2 degrees of freedom that exchange energy with U).
  double internal_kinetic_energy() const;
  // v <- v_cm + factor (v - v_cm) for every atom: scales the internal kinetic energy by factor^2, keeps the momentum.
  void scale_internal_velocities(double factor);

  // Bond changes made by the reaction moves, between steps: keep the LJ exclusions in the neighbour lists in step
  // and recompute the forces on the two atoms, so the next half kick uses forces of the new bond graph.
  void form_bond(uint32_t atom_a, uint32_t atom_b);
  void break_bond(uint32_t atom_a, uint32_t atom_b);
  void set_bond_order(uint32_t atom_a, uint32_t atom_b, int order);  // of an existing bond; no exclusion changes

  // Removes displacement overlaps from a built initial state: steepest descent with a capped step, until the largest
  // force is below `max_force` (or `max_iterations`). Deterministic; used before step 0 only.
  void relax_overlaps(double max_force, int max_iterations);

  const EngineSettings& settings() const { return settings_; }
  const ForceFieldParams& force_field() const { return force_field_; }
  const ParticleArrays& particles() const { return particles_; }
  const BondGraph& bonds() const { return bonds_; }
  const NeighborList& neighbors() const { return neighbors_; }
  const BondGeometry& bond_geometry() const { return geometry_; }
  ThreadTeam& team() const { return *team_; }

 private:
  struct CentreOfMass {
    double mass, vx, vy;
  };
  CentreOfMass centre_of_mass() const;

  EngineSettings settings_;
  std::unique_ptr<ThreadTeam> team_;  // on the heap: the neighbour list keeps its address across moves
  ForceFieldParams force_field_;
  ParticleArrays particles_;
  BondGraph bonds_;
  NeighborList neighbors_;
  BondGeometry geometry_;
  int64_t step_ = 0;
  std::vector<double> energy_scratch_;
};

}  // namespace live2::sim
