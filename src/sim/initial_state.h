// Builds the state at step 0 from a SimulationConfig and its seed: atoms on a square grid with a random element
// assignment (open_chemistry) or the preset's molecules, bonded, randomly rotated, on a grid (preset_prebiotic), with
// Maxwell-Boltzmann velocities at the bath temperature and zero total momentum. Deterministic; thread safe.
#pragma once

#include <vector>

#include "bond_graph.h"
#include "elements.h"
#include "params.h"
#include "particle_arrays.h"

namespace live2::sim {

struct InitialState {
  ParticleArrays particles;  // slot = atom id
  BondGraph bonds;
  std::vector<Element> element_of_atom;
};

InitialState build_initial_state(const SimulationConfig& config);

}  // namespace live2::sim
