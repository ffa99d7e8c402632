// The chemistry's data: per element-pair bond energetics, in one place.
// Values and rationale: reaction_table.cpp and docs/simulation.md. Pure functions over constant tables; thread safe.
#pragma once

#include "elements.h"

namespace live2::sim {

struct BondEnergetics {
  double activation_energy;    // Ea: barrier above the higher of the two states, for forming and breaking alike
  double dissociation_energy;  // D: depth of the bond term -D + k/2 (r - r0)^2 (reduced energy, kT = 1 at 300 K)
};

// The bond stiffness k of every element pair (reduced units): stiff enough that bonds keep their length within a few
// percent at 300 K, soft enough that omega dt <= 0.5 holds for H-H up to dt = 0.01768.
inline constexpr double kBondStiffness = 400.0;

BondEnergetics bond_energetics(Element a, Element b);  // symmetric in a, b
// The real single-bond dissociation enthalpy the pair's D is derived from (kJ/mol): D = BDE / 75.
double bond_dissociation_enthalpy_kj_per_mol(Element a, Element b);

}  // namespace live2::sim
