// The chemistry's data: per element-pair bond energetics, in one place.
// Values and rationale: reaction_table.cpp and docs/simulation.md. Pure functions over constant tables; thread safe.
#pragma once

#include "elements.h"

namespace live2::sim {

struct BondEnergetics {
  double activation_energy;    // Ea: barrier above the higher of the two states, for forming and breaking alike
  double dissociation_energy;  // D: depth of the bond term -D + k/2 (r - r0)^2 (reduced energy, kT = 1 at 300 K)
};

// Bell-Evans-Polanyi barriers: Ea = max(kMinActivationEnergy, kActivationAtZeroDepth - kActivationSlope * D).
inline constexpr double kMinActivationEnergy = 0.3;
inline constexpr double kActivationAtZeroDepth = 2.5;
inline constexpr double kActivationSlope = 0.3;

// The bond stiffness k of every element pair (reduced units): stiff enough that bonds keep their length within a few
// percent at 300 K, soft enough that omega dt <= 0.5 holds for H-H up to dt = 0.01768.
inline constexpr double kBondStiffness = 400.0;

// Symmetric in a, b. D = chemistry_scale * BDE in model energy units (BDE / 30 / 2.494 kJ/mol at the default scale).
BondEnergetics bond_energetics(Element a, Element b, double chemistry_scale);
// The real single-bond dissociation enthalpy the pair's D is derived from (kJ/mol).
double bond_dissociation_enthalpy_kj_per_mol(Element a, Element b);

}  // namespace live2::sim
