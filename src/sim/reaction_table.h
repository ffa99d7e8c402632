// The chemistry's data: per element-pair bond energetics and the constants of the reaction rule, in one place.
// Values and rationale: reaction_table.cpp and docs/simulation.md. Pure functions over constant tables; thread safe.
#pragma once

#include "elements.h"

namespace live2::sim {

struct BondEnergetics {
  double activation_energy;    // Ea: barrier to form the bond (reduced energy, kT = 1 at 300 K)
  double dissociation_energy;  // D: depth the bond must climb out of to break
};

BondEnergetics bond_energetics(Element a, Element b);  // symmetric in a, b
// The real single-bond dissociation enthalpy the pair's D is derived from (kJ/mol): D = BDE / 75.
double bond_dissociation_enthalpy_kj_per_mol(Element a, Element b);

// The reaction rule (docs/simulation.md, "Reactions").
inline constexpr int kReactionIntervalSteps = 10;   // bonds are tried every this many steps
inline constexpr double kCaptureFactor = 1.3;        // atoms closer than this times the rest length may bond
// A bond can only break while stretched to at least the LJ zero crossing (r = sigma): breaking then never switches
// on a strongly repulsive contact, and the Boltzmann cost of reaching that stretch is part of the effective barrier.
inline constexpr double kMinBreakDistance = 1.0;
inline constexpr double kFormAttemptRate = 0.5;      // rate prefactors per attempt: p = 1 - exp(-rate * exp(-E / kT))
inline constexpr double kBreakAttemptRate = 0.5;

}  // namespace live2::sim
