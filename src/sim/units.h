// The model's units and what one of each is in the units chemists use (docs/simulation.md, "Units"). The engine
// computes in reduced units: energy epsilon = k_B * 300 K, mass 1 amu, time tau = 0.08 ps (chosen), and length
// sigma = tau * sqrt(epsilon / amu) = 1.2635 angstrom (derived, so that the three are consistent). Every output
// states these factors; the trajectory is written in angstrom and ps. Constants and pure functions; thread safe.
#pragma once

#include <string>

namespace live2::sim {

inline constexpr double kBoltzmannKJPerMolKelvin = 0.0083144626181532;  // k_B * N_A (CODATA 2018, exact)
inline constexpr double kEnergyUnitKJPerMol = kBoltzmannKJPerMolKelvin * 300.0;  // epsilon
inline constexpr double kMassUnitAmu = 1.0;
inline constexpr double kTimeUnitPs = 0.08;  // tau
inline constexpr double kFemtosecondsPerTimeUnit = 80.0;
// sigma = tau * sqrt(epsilon / m): 0.08 ps * 15.7935 angstrom/ps (1 kJ/mol per amu is (10 angstrom/ps)^2).
inline constexpr double kLengthUnitAngstrom = 1.2634780657713909;
inline constexpr double kVelocityUnitAngstromPerPs = kLengthUnitAngstrom / kTimeUnitPs;

// What one model unit of a quantity is, as "<factor> <unit>" (UDUNITS and pint read this form), or "K", "1"
// (a pure number: counts, ids, steps) and "" (text).
enum class Quantity { number, text, time, length, velocity, energy, temperature, pressure_2d, mass };
std::string unit_text(Quantity quantity);

}  // namespace live2::sim
