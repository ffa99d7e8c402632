// The chemistry's data: per element-pair bond energetics, in one place.
// Values and rationale: reaction_table.cpp and docs/simulation.md. Pure functions over constant tables; thread safe.
#pragma once

#include "elements.h"

namespace live2::sim {

struct BondEnergetics {
  // Ea: barrier above the higher of the two states, for the step between order - 1 and order (forming and breaking
  // for order 1), both directions alike
  double activation_energy;
  double dissociation_energy;  // D: depth of the bond term -D + k/2 (r - r0)^2 (reduced energy, kT = 1 at 300 K)
};

// Bell-Evans-Polanyi barriers: Ea = max(kMinActivationEnergy, kActivationAtZeroDepth - kActivationSlope * D).
inline constexpr double kMinActivationEnergy = 0.3;
inline constexpr double kActivationAtZeroDepth = 2.5;
inline constexpr double kActivationSlope = 0.3;

// The bond stiffness k of every element pair (reduced units): stiff enough that bonds keep their length within a few
// percent at 300 K, soft enough that omega dt <= 0.5 holds for H-H up to dt = 0.01768.
inline constexpr double kBondStiffness = 400.0;

// Rest length of a double and a triple bond relative to the single bond of the pair (C-C 1.54, C=C 1.34, C#C 1.20
// angstrom: 0.87 and 0.78).
inline constexpr double kDoubleBondLengthFactor = 0.87;
inline constexpr double kTripleBondLengthFactor = 0.78;

// The highest bond order of the pair: min(valence a, valence b, 3) (H-anything 1, O=O 2, N#N 3).
int max_bond_order(Element a, Element b);

// Symmetric in a, b; 1 <= order <= max_bond_order(a, b). D = chemistry_scale * BDE in model energy units (BDE / 30 /
// 2.494 kJ/mol at the default scale), BDE the whole bond's; Ea from the step's depth D(order) - D(order - 1).
BondEnergetics bond_energetics(Element a, Element b, double chemistry_scale, int order = 1);
// The real dissociation enthalpy of the whole bond of that order the pair's D is derived from (kJ/mol).
double bond_dissociation_enthalpy_kj_per_mol(Element a, Element b, int order = 1);

}  // namespace live2::sim
