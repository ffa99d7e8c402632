#include "params.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "reaction_table.h"
#include "units.h"

namespace live2::sim {
namespace {

namespace json = boost::json;

constexpr std::string_view kConfigPath = "simulation_config.config";

// Collects every problem while walking the params; each reader returns the default when its field is bad or absent.
// Fields renamed when their unit changed (issue 15): the old name is refused with a message naming the new one.
struct RenamedField {
  std::string_view old_name, new_name, message;
};
constexpr std::array<RenamedField, 1> kRenamedFields = {{
    {"dt", "dt_fs", "renamed to dt_fs, the time step in femtoseconds (dt_fs = 80 x the former dt, whose unit was the "
                    "model's time unit of 80 fs); the default 0.005 is dt_fs 0.4"},
}};

class Checker {
 public:
  void fail(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }
  std::vector<ParamError> take_errors() { return std::move(errors_); }
  bool ok() const { return errors_.empty(); }

  // Reports keys of `object` not in `known` as unknown fields, and a renamed field by its new name.
  void reject_unknown(const json::object& object, const std::string& path, std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : object) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      const auto renamed = std::find_if(kRenamedFields.begin(), kRenamedFields.end(),
                                        [&](const RenamedField& r) { return r.old_name == key; });
      const bool applies = renamed != kRenamedFields.end() &&
                           std::find(known.begin(), known.end(), renamed->new_name) != known.end();
      fail(join(path, key), applies ? std::string(renamed->message) : std::string("unknown field"));
    }
  }

  std::optional<int64_t> integer(const json::object& object, const std::string& path, const NumericFieldRange& range) {
    const json::value* v = object.if_contains(range.name);
    if (v == nullptr) return std::nullopt;
    const std::string field = join(path, range.name);
    if (!v->is_int64() && !v->is_uint64()) {
      fail(field, "must be an integer");
      return std::nullopt;
    }
    const auto low = static_cast<int64_t>(range.low), high = static_cast<int64_t>(range.high);
    // A uint64 here is above INT64_MAX, hence above every range we accept.
    const std::optional<int64_t> value = v->is_int64() ? std::optional<int64_t>(v->as_int64()) : std::nullopt;
    if (!value || *value < low || *value > high) {
      fail(field, "must be an integer from " + std::to_string(low) + " to " + std::to_string(high));
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> number(const json::object& object, const std::string& path, const NumericFieldRange& range) {
    const json::value* v = object.if_contains(range.name);
    if (v == nullptr) return std::nullopt;
    return number_value(*v, join(path, range.name), range);
  }

  std::optional<double> number_value(const json::value& v, const std::string& field, const NumericFieldRange& range) {
    if (!v.is_number()) {
      fail(field, "must be a number");
      return std::nullopt;
    }
    const double value = v.to_number<double>();
    const bool above_low = range.low_inclusive ? value >= range.low : value > range.low;
    if (!std::isfinite(value) || !above_low || value > range.high) {
      fail(field, std::string("must be a number ") + (range.low_inclusive ? "from " : "greater than ") +
                      format(range.low) + (range.low_inclusive ? " to " : " and at most ") + format(range.high));
      return std::nullopt;
    }
    return value;
  }

  std::optional<bool> boolean(const json::object& object, const std::string& path, std::string_view key) {
    const json::value* v = object.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_bool()) {
      fail(join(path, key), "must be true or false");
      return std::nullopt;
    }
    return v->as_bool();
  }

  std::optional<std::string> choice(const json::object& object, const std::string& path, std::string_view key,
                                    const std::vector<std::string>& allowed) {
    const json::value* v = object.if_contains(key);
    if (v == nullptr) return std::nullopt;
    const std::string field = join(path, key);
    std::string options;
    for (const auto& a : allowed) options += (options.empty() ? "" : ", ") + a;
    if (!v->is_string() || std::find(allowed.begin(), allowed.end(), v->as_string()) == allowed.end()) {
      fail(field, "must be one of: " + options);
      return std::nullopt;
    }
    return std::string(v->as_string());
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

 private:
  static std::string format(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
  }

  std::vector<ParamError> errors_;
};

const NumericFieldRange& range_named(const std::vector<NumericFieldRange>& table, std::string_view name) {
  return *std::find_if(table.begin(), table.end(), [&](const NumericFieldRange& r) { return r.name == name; });
}
const NumericFieldRange& config_range(std::string_view name) { return range_named(config_field_ranges(), name); }
const NumericFieldRange& source_range(std::string_view name) { return range_named(energy_source_field_ranges(), name); }

// The energy-source schedule in steps, as the first version of the parameters gave it; still accepted (converted to
// period = period_steps * dt) but not in the range table, so that generated parameter sets never give both.
const NumericFieldRange& period_steps_range() {
  static const NumericFieldRange range{"period_steps", 0, 1'000'000'000, true};
  return range;
}

const std::vector<std::string>& mode_names() {
  static const std::vector<std::string> names = {"open_chemistry", "preset_prebiotic"};
  return names;
}

std::array<double, kElementCount> default_composition() {
  std::array<double, kElementCount> c{};
  c[element_index(Element::H)] = 0.5;
  c[element_index(Element::C)] = 0.2;
  c[element_index(Element::N)] = 0.1;
  c[element_index(Element::O)] = 0.2;
  return c;
}

// Preset-dependent energy sources (fractions of the box; see docs/simulation.md): lightning for Miller-Urey, a
// steady vent for hydrothermal, a pulsed warm drying pool for formamide.
std::vector<EnergySource> default_energy_sources(Mode mode, const std::string& preset) {
  if (mode != Mode::preset_prebiotic) return {};
  if (preset == "miller_urey") return {{0.5, 0.5, 0.06, 3000.0, 5.0, 0.1}};
  if (preset == "hydrothermal") return {{0.5, 0.5, 0.12, 650.0, 0.0, 1.0}};
  return {{0.5, 0.5, 0.2, 450.0, 10.0, 0.5}};
}

void read_composition(Checker& check, const json::value& value, SimulationConfig& config) {
  const std::string path = std::string(kConfigPath) + ".composition";
  if (!value.is_object()) {
    check.fail(path, "must be an object mapping element symbols (H C N O P S) to fractions");
    return;
  }
  std::array<double, kElementCount> fractions{};
  bool all_valid = true;
  for (const auto& [key, fraction] : value.as_object()) {
    const std::optional<Element> element = element_from_symbol(key);
    if (!element) {
      check.fail(Checker::join(path, key), "unknown element; allowed: H, C, N, O, P, S");
      all_valid = false;
      continue;
    }
    const auto parsed = check.number_value(fraction, Checker::join(path, key), composition_fraction_range());
    if (!parsed) {
      all_valid = false;
      continue;
    }
    fractions[element_index(*element)] = *parsed;
  }
  double total = 0.0;
  for (double f : fractions) total += f;
  if (all_valid && total <= 0.0) {
    check.fail(path, "needs at least one element with a fraction above 0");
    return;
  }
  if (!all_valid) return;
  for (double& f : fractions) f /= total;
  config.composition = fractions;
}

void read_energy_sources(Checker& check, const json::value& value, SimulationConfig& config) {
  const std::string path = std::string(kConfigPath) + ".energy_sources";
  constexpr size_t kMaxSources = 64;
  if (!value.is_array()) {
    check.fail(path, "must be an array of {x, y, radius, temperature, period, duty} objects");
    return;
  }
  if (value.as_array().size() > kMaxSources) {
    check.fail(path, "must have at most " + std::to_string(kMaxSources) + " entries");
    return;
  }
  std::vector<EnergySource> sources;
  const json::array& items = value.as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!items[i].is_object()) {
      check.fail(item_path, "must be an object {x, y, radius, temperature, period, duty}");
      continue;
    }
    const json::object& o = items[i].as_object();
    check.reject_unknown(o, item_path, {"x", "y", "radius", "temperature", "period", "period_steps", "duty"});
    if (o.contains("period") && o.contains("period_steps")) {
      check.fail(Checker::join(item_path, "period_steps"), "give period (time) or period_steps, not both");
    }
    for (std::string_view required : {"x", "y", "radius", "temperature"}) {
      if (!o.contains(required)) check.fail(Checker::join(item_path, required), "is required");
    }
    const auto x = check.number(o, item_path, source_range("x"));
    const auto y = check.number(o, item_path, source_range("y"));
    const auto radius = check.number(o, item_path, source_range("radius"));
    const auto temperature = check.number(o, item_path, source_range("temperature"));
    const auto period = check.number(o, item_path, source_range("period"));
    const auto period_steps = check.integer(o, item_path, period_steps_range());
    const auto duty = check.number(o, item_path, source_range("duty"));
    if (x && y && radius && temperature) {
      // period_steps (the older field) names the same schedule in steps at this run's dt.
      const double period_time = period ? *period : static_cast<double>(period_steps.value_or(0)) * config.dt();
      sources.push_back({*x, *y, *radius, *temperature, period_time, duty.value_or(1.0)});
    }
  }
  config.energy_sources = std::move(sources);
}

struct StepBounds {
  double thermal, bond;  // model time units
};

StepBounds step_bounds(const SimulationConfig& config) {
  const double thermal_limit = kMaxThermalStep / std::sqrt(max_bath_kT(config) / lightest_atom_mass(config));
  const bool bonds_possible = config.reactions || config.mode == Mode::preset_prebiotic;
  return {thermal_limit, bonds_possible ? kMaxBondPhaseStep / stiffest_bond_angular_frequency(config) : thermal_limit};
}

// dt_fs when the request leaves it out: the default step, or less where the run's stability bounds or its attempt
// rate need less (a hot bath or energy source, attempt_rate above 100 per tau), rounded down to 0.01 fs so the
// resolved parameters read as a user would write them.
double default_dt_fs(const SimulationConfig& config) {
  const auto [thermal_limit, bond_limit] = step_bounds(config);
  double limit = std::min(thermal_limit, bond_limit);
  if (config.reactions) limit = std::min(limit, 1.0 / config.attempt_rate);
  const double limit_fs = std::floor(limit * kFemtosecondsPerTimeUnit * 100.0 + 1e-9) / 100.0;
  return std::clamp(limit_fs, config_range("dt_fs").low, SimulationConfig{}.dt_fs);
}

void read_config(Checker& check, const json::object& o, std::optional<Mode> mode, SimulationConfig& config) {
  const std::string path(kConfigPath);
  check.reject_unknown(o, path,
                       {"num_particles", "temperature", "steps", "seed", "dt_fs", "density", "composition", "preset",
                        "friction", "energy_sources", "reactions", "capture_factor", "attempt_rate", "barrier_scale",
                        "thermostat", "snapshot_interval", "analysis_interval", "chemistry_scale"});
  config.num_particles = check.integer(o, path, config_range("num_particles")).value_or(config.num_particles);
  config.temperature = check.number(o, path, config_range("temperature")).value_or(config.temperature);
  config.steps = check.integer(o, path, config_range("steps")).value_or(config.steps);
  if (const json::value* seed = o.if_contains("seed")) {
    if (seed->is_uint64()) {
      config.seed = seed->as_uint64();
    } else if (seed->is_int64()) {
      config.seed = static_cast<uint64_t>(seed->as_int64());  // negative seeds name the same 64-bit pattern
    } else {
      check.fail(path + ".seed", "must be an integer (any 64-bit value)");
    }
  }
  config.dt_fs = check.number(o, path, config_range("dt_fs")).value_or(config.dt_fs);
  config.density = check.number(o, path, config_range("density")).value_or(config.density);
  config.friction = check.number(o, path, config_range("friction")).value_or(config.friction);
  config.reactions = check.boolean(o, path, "reactions").value_or(config.reactions);
  config.capture_factor = check.number(o, path, config_range("capture_factor")).value_or(config.capture_factor);
  config.attempt_rate = check.number(o, path, config_range("attempt_rate")).value_or(config.attempt_rate);
  config.barrier_scale = check.number(o, path, config_range("barrier_scale")).value_or(config.barrier_scale);
  config.thermostat = check.boolean(o, path, "thermostat").value_or(config.thermostat);
  config.chemistry_scale = check.number(o, path, config_range("chemistry_scale")).value_or(config.chemistry_scale);

  config.composition = default_composition();
  if (const json::value* composition = o.if_contains("composition")) {
    if (mode == Mode::preset_prebiotic) {
      check.fail(path + ".composition", "is only allowed when mode is open_chemistry");
    } else {
      read_composition(check, *composition, config);
    }
  }
  if (mode == Mode::preset_prebiotic) config.preset = "miller_urey";
  if (o.contains("preset")) {
    if (mode == Mode::open_chemistry) {
      check.fail(path + ".preset", "is only allowed when mode is preset_prebiotic");
    } else if (auto preset = check.choice(o, path, "preset", preset_names())) {
      config.preset = *preset;
    }
  }
  // Energy sources heat the bath; at constant energy there is none, so the presets' default sources are dropped.
  config.energy_sources = config.thermostat ? default_energy_sources(config.mode, config.preset)
                                            : std::vector<EnergySource>{};
  const json::value* sources = o.if_contains("energy_sources");
  if (!o.contains("dt_fs")) {
    // The default step depends on the sources' temperatures, and a source's period_steps on the step: given sources
    // are read once for their temperatures (errors dropped; the read below reports them), then for good.
    SimulationConfig with_sources = config;
    Checker first_read;
    if (sources) read_energy_sources(first_read, *sources, with_sources);
    config.dt_fs = default_dt_fs(with_sources);
  }
  if (sources) {
    read_energy_sources(check, *sources, config);
    if (!config.thermostat && !config.energy_sources.empty()) {
      check.fail(path + ".energy_sources", "must be empty when thermostat is false (no bath to heat)");
    }
  }

  config.snapshot_interval = std::max<int64_t>(1, config.steps / 20);
  config.analysis_interval = std::max<int64_t>(100, config.steps / 500);
  config.snapshot_interval = check.integer(o, path, config_range("snapshot_interval")).value_or(config.snapshot_interval);
  config.analysis_interval = check.integer(o, path, config_range("analysis_interval")).value_or(config.analysis_interval);
}

// The stability bounds (docs/simulation.md, "Stability"), checked only when the fields they read are valid:
// - thermal: the distance the lightest atom moves per step at the hottest bath temperature, dt * sqrt(kT / m), may
//   not exceed kMaxThermalStep;
// - bond: when the run can hold bonds (reactions on, or a preset's molecules), omega dt of the stiffest bond may not
//   exceed kMaxBondPhaseStep (velocity Verlet follows a harmonic oscillator only while omega dt is well below 2).
// A dt beyond both gets one error, naming the tighter bound.
void check_stability(Checker& check, const SimulationConfig& config) {
  const double lightest_mass = lightest_atom_mass(config);
  const double omega = stiffest_bond_angular_frequency(config);
  const auto [thermal_limit, bond_limit] = step_bounds(config);
  const double hottest_kT = max_bath_kT(config);
  if (config.dt() <= std::min(thermal_limit, bond_limit)) return;
  const std::string field = std::string(kConfigPath) + ".dt_fs";
  if (thermal_limit <= bond_limit) {
    check.fail(field, fmt::format("must be at most {:.3g} fs at {:g} K with atoms of mass {:g}: larger steps make the "
                                  "run numerically unstable (dt * sqrt(T / 300 K / mass) <= {:g} in model units of "
                                  "80 fs); lower dt_fs or the temperature",
                                  thermal_limit * kFemtosecondsPerTimeUnit, 300.0 * hottest_kT, lightest_mass,
                                  kMaxThermalStep));
  } else {
    check.fail(field, fmt::format("must be at most {:.4g} fs when bonds between atoms of mass {:g} can exist: such a "
                                  "bond vibrates at angular frequency {:.4g} per 80 fs and omega * dt must be at most "
                                  "{:g}; lower dt_fs",
                                  bond_limit * kFemtosecondsPerTimeUnit, lightest_mass, omega, kMaxBondPhaseStep));
  }
}

// A pair is tried at most once per step: attempt_rate * dt <= 1.
void check_attempt_rate(Checker& check, const SimulationConfig& config) {
  if (!config.reactions || config.attempt_rate * config.dt() <= 1.0) return;
  check.fail(std::string(kConfigPath) + ".attempt_rate",
             fmt::format("must be at most 1 / dt = {:.4g} per model time unit (80 fs; a pair is tried at most once per "
                         "step); lower it or dt_fs",
                         1.0 / config.dt()));
}

}  // namespace

double max_bath_kT(const SimulationConfig& config) {
  double hottest = config.temperature;
  for (const EnergySource& source : config.energy_sources) hottest = std::max(hottest, source.temperature);
  return hottest / 300.0;
}

double lightest_atom_mass(const SimulationConfig& config) {
  // Every preset's mixture holds hydrogen (its leftover atoms become H2).
  if (config.mode == Mode::preset_prebiotic) return element_mass(Element::H);
  double lightest = 0.0;
  for (Element e : kAllElements) {
    if (config.composition[element_index(e)] <= 0.0) continue;
    if (lightest == 0.0 || element_mass(e) < lightest) lightest = element_mass(e);
  }
  return lightest;
}

std::string_view mode_name(Mode mode) {
  return mode == Mode::open_chemistry ? "open_chemistry" : "preset_prebiotic";
}

bool EnergySource::active_at(double time) const {
  if (period <= 0.0) return true;
  return std::fmod(time, period) < duty * period;
}

double stiffest_bond_angular_frequency(const SimulationConfig& config) {
  const double reduced_mass = 0.5 * lightest_atom_mass(config);
  return std::sqrt(kBondStiffness / reduced_mass);
}

double SimulationConfig::dt() const { return dt_fs / kFemtosecondsPerTimeUnit; }
double SimulationConfig::box_size() const { return std::sqrt(static_cast<double>(num_particles) / density); }
double SimulationConfig::bath_kT() const { return temperature / 300.0; }

const std::vector<NumericFieldRange>& config_field_ranges() {
  static const std::vector<NumericFieldRange> ranges = {
      {"num_particles", 2, 2'000'000, true},
      {"temperature", 1.0, 5000.0},
      {"steps", 1, 1'000'000'000, true},
      {"dt_fs", 0.008, 1.6},
      {"density", 0.01, 0.9},
      {"friction", 0.01, 100.0},
      {"capture_factor", 1.1, 2.0},
      {"attempt_rate", 0.0, 200.0, false, false},
      {"barrier_scale", 0.0, 10.0},
      {"snapshot_interval", 1, 1'000'000'000, true},
      {"analysis_interval", 1, 1'000'000'000, true},
      {"chemistry_scale", 0.001, 1.0},
  };
  return ranges;
}

const std::vector<NumericFieldRange>& energy_source_field_ranges() {
  static const std::vector<NumericFieldRange> ranges = {
      {"x", 0.0, 1.0},
      {"y", 0.0, 1.0},
      {"radius", 0.0, 0.5, false, false},
      {"temperature", 1.0, 5000.0},
      {"period", 0.0, 1e9},
      {"duty", 0.0, 1.0, false, false},
  };
  return ranges;
}

const NumericFieldRange& composition_fraction_range() {
  static const NumericFieldRange range{"composition", 0.0, 1e9};
  return range;
}

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = {"miller_urey", "hydrothermal", "formamide"};
  return names;
}

ParseOutcome parse_params(const json::value& params) {
  Checker check;
  SimulationConfig config;
  if (!params.is_object()) {
    check.fail("", "params must be an object with a simulation_config");
    return {std::nullopt, check.take_errors()};
  }
  check.reject_unknown(params.as_object(), "", {"simulation_config"});
  const json::value* simulation = params.as_object().if_contains("simulation_config");
  if (simulation == nullptr) {
    check.fail("simulation_config", "is required");
  } else if (!simulation->is_object()) {
    check.fail("simulation_config", "must be an object {mode, config}");
  } else {
    const json::object& sc = simulation->as_object();
    check.reject_unknown(sc, "simulation_config", {"mode", "config"});
    std::optional<Mode> mode;
    if (!sc.contains("mode")) {
      check.fail("simulation_config.mode", "is required (open_chemistry or preset_prebiotic)");
    } else if (auto name = check.choice(sc, "simulation_config", "mode", mode_names())) {
      mode = *name == "open_chemistry" ? Mode::open_chemistry : Mode::preset_prebiotic;
      config.mode = *mode;
    }
    const json::value* inner = sc.if_contains("config");
    if (inner != nullptr && !inner->is_object()) {
      check.fail(std::string(kConfigPath), "must be an object");
    } else {
      read_config(check, inner != nullptr ? inner->as_object() : json::object{}, mode, config);
    }
  }
  if (check.ok()) {
    check_stability(check, config);
    check_attempt_rate(check, config);
  }
  if (!check.ok()) return {std::nullopt, check.take_errors()};
  return {config, {}};
}

json::object resolved_params_json(const SimulationConfig& config) {
  json::object c;
  c["num_particles"] = config.num_particles;
  c["temperature"] = config.temperature;
  c["steps"] = config.steps;
  c["seed"] = config.seed;
  c["dt_fs"] = config.dt_fs;
  c["density"] = config.density;
  if (config.mode == Mode::open_chemistry) {
    json::object composition;
    for (Element e : kAllElements) composition[element_symbol(e)] = config.composition[element_index(e)];
    c["composition"] = std::move(composition);
  } else {
    c["preset"] = config.preset;
  }
  c["friction"] = config.friction;
  json::array sources;
  for (const EnergySource& s : config.energy_sources) {
    sources.push_back(json::object{{"x", s.x},
                                   {"y", s.y},
                                   {"radius", s.radius},
                                   {"temperature", s.temperature},
                                   {"period", s.period},
                                   {"duty", s.duty}});
  }
  c["energy_sources"] = std::move(sources);
  c["reactions"] = config.reactions;
  c["capture_factor"] = config.capture_factor;
  c["attempt_rate"] = config.attempt_rate;
  c["barrier_scale"] = config.barrier_scale;
  c["thermostat"] = config.thermostat;
  c["snapshot_interval"] = config.snapshot_interval;
  c["analysis_interval"] = config.analysis_interval;
  c["chemistry_scale"] = config.chemistry_scale;
  return json::object{{"simulation_config", json::object{{"mode", mode_name(config.mode)}, {"config", std::move(c)}}}};
}

double estimate_runtime_seconds(const SimulationConfig& config, int threads) {
  // Measured on one core of the development machine (docs/benchmarks.md): ~8 M particle-steps/s for physics; the
  // chemistry and analysis add about a third; threads scale at ~90 % efficiency. Plus a second of setup and output.
  constexpr double kParticleStepsPerCoreSecond = 8e6;
  constexpr double kChemistryFactor = 1.35;
  const double work = static_cast<double>(config.num_particles) * static_cast<double>(config.steps) *
                      (config.reactions ? kChemistryFactor : 1.0);
  const double effective_threads = 1.0 + 0.9 * (std::max(1, threads) - 1);
  return 1.0 + work / (kParticleStepsPerCoreSecond * effective_threads);
}

}  // namespace live2::sim
