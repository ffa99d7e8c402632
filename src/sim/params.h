// Simulation parameters: the ONE validator for a run_simulation job's `params` (the API server and the live2-sim worker
// both call parse_params). Field table, defaults and ranges: docs/simulation-contract.md; decisions it leaves
// open (energy-source geometry in box fractions, integer strictness): docs/simulation.md. Pure functions; thread safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "elements.h"

namespace live2::sim {

enum class Mode { open_chemistry, preset_prebiotic };
std::string_view mode_name(Mode);

// A disc where the heat bath is hotter. x, y and radius are fractions of the box side (so a source means the same
// thing at any particle count); temperature in kelvin. period (reduced time) == 0 means always on; otherwise the
// source is on for the first duty * period of every period, so its schedule does not depend on dt.
struct EnergySource {
  double x, y, radius, temperature;
  double period;
  double duty;
  bool active_at(double time) const;
};

// The default chemistry scale: 1/10, so D = BDE / 10 and 300 K chemistry behaves like real chemistry at 3,000 K: bonds
// still form and break within the default run, and the equilibrium has few radicals (docs/simulation.md, "Units" and
// "Why the defaults").
inline constexpr double kDefaultChemistryScale = 0.1;

// The version of the model (Hamiltonian, moves, units) a result was computed with; every result records it.
// 2: issue 14's Hamiltonian and reaction moves; 3: issue 15's stated units and chemistry scale; 4: bond orders;
// 5: bond transfers, and the defaults s = 1/10, dt 0.8 fs, 50,000 steps.
inline constexpr int kModelVersion = 5;

struct SimulationConfig {
  Mode mode = Mode::open_chemistry;
  int64_t num_particles = 1000;
  double temperature = 300.0;  // kelvin; reduced kT = temperature / 300
  int64_t steps = 50000;
  uint64_t seed = 42;
  double dt_fs = 0.8;  // the time step in femtoseconds (issue 15: was `dt`, in model time units tau = 80 fs)
  double density = 0.4;
  std::array<double, kElementCount> composition{};  // normalised fractions, indexed by Element (open_chemistry)
  std::string preset;                                // preset_prebiotic only
  double friction = 1.0;
  std::vector<EnergySource> energy_sources;
  bool reactions = true;
  // The reaction moves (docs/simulation.md, "Reactions"): every pair closer than capture_factor * r0 is tried at
  // attempt_rate tries per unit time and accepted by the Metropolis rule with a barrier barrier_scale * Ea.
  double capture_factor = 1.3;
  double attempt_rate = 20.0;
  double barrier_scale = 1.0;
  // false: constant energy (no bath, no energy sources; reaction moves use the microcanonical acceptance).
  bool thermostat = true;
  int64_t snapshot_interval = 500;
  int64_t analysis_interval = 100;
  // The chemistry acceleration scale s: every bond's depth is D = s * BDE, BDE the real single-bond dissociation
  // enthalpy (docs/simulation.md, "Units"). Bond equilibria at temperature T then behave like real ones at T / s
  // (D / kT = BDE / (k_B T / s)). Stored in every result through the resolved parameters.
  double chemistry_scale = kDefaultChemistryScale;

  double dt() const;        // in model time units: dt_fs / 80
  double box_size() const;  // sqrt(N / density)
  double bath_kT() const;   // temperature / 300
};

// One numeric field the validator accepts, with its range: the validator reads its fields through these tables, and
// tests walk the accepted parameter space through them. `name` is relative to simulation_config.config (composition
// entries are "composition.<element>"; energy-source fields are relative to one source).
struct NumericFieldRange {
  std::string_view name;
  double low, high;
  bool integer = false;
  bool low_inclusive = true;  // false: the range is (low, high]
};
const std::vector<NumericFieldRange>& config_field_ranges();         // num_particles, temperature, steps, ...
// x, y, radius, temperature, period, duty. (The validator also accepts period_steps, the older spelling of the period
// in steps: period = period_steps * dt.)
const std::vector<NumericFieldRange>& energy_source_field_ranges();
const NumericFieldRange& composition_fraction_range();              // every element's fraction

// `field` is relative to `params`, e.g. "simulation_config.config.steps" or
// "simulation_config.config.energy_sources[1].radius".
struct ParamError {
  std::string field;
  std::string message;
};

struct ParseOutcome {
  std::optional<SimulationConfig> config;  // set iff errors is empty
  std::vector<ParamError> errors;
};

// Parses the job's `params` object {"simulation_config": {"mode": ..., "config": {...}}}. Reports EVERY bad field
// (missing, wrong type, out of range, not allowed in this mode, unknown), never just the first. Fills defaults.
ParseOutcome parse_params(const boost::json::value& params);

// Every field with its resolved value, in the same shape parse_params accepts (parse_params(resolved) == config).
boost::json::object resolved_params_json(const SimulationConfig&);

// The validator's stability bound: dt * sqrt(kT / m) of the lightest atom at the hottest bath temperature (the run's
// or an energy source's) may be at most this (docs/simulation.md, "Stability"; parse_params refuses dt beyond it).
inline constexpr double kMaxThermalStep = 0.022;
double max_bath_kT(const SimulationConfig&);        // reduced kT of the hottest bath: temperature or an energy source
double lightest_atom_mass(const SimulationConfig&);  // of the elements the run can hold
// The bond bound: omega dt of the stiffest bond the run can hold, omega = sqrt(k / mu) with mu the reduced mass of two
// of its lightest atoms, may be at most this (parse_params refuses dt beyond it when the run can hold bonds).
inline constexpr double kMaxBondPhaseStep = 0.5;
double stiffest_bond_angular_frequency(const SimulationConfig&);

// Wall-clock estimate for the whole run on `threads` threads, from N, steps and whether reactions are on.
double estimate_runtime_seconds(const SimulationConfig&, int threads);

// The names of the starting mixtures accepted by config.preset.
const std::vector<std::string>& preset_names();

}  // namespace live2::sim
