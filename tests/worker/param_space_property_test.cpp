// Property: every parameter set the validator accepts makes the real live2-sim binary exit 0, or exit 1 with its one
// reason line ("live2-sim: ..." last on stderr); never a signal, a timeout or another code. The cases: every numeric
// field of the validator's own range tables at its minimum, maximum and default, one at a time (num_particles and
// steps capped at kMaxParticles and kMaxSteps; an edge the cross-field bounds refuse with reactions on, such as
// dt = 0.02 with hydrogen bonds, runs with reactions off), each preset, then kRandomCases seeded random combinations
// (some at constant energy). Runs
// several workers at once, one thread each.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <cstdio>
#include <random>
#include <thread>

#include <boost/json.hpp>

#include "sim/params.h"
#include "worker_run_support.h"

namespace live2::worker::testing {

using namespace live2::sim;
namespace {

namespace json = boost::json;

constexpr int64_t kMaxParticles = 500;
constexpr int64_t kMaxSteps = 3000;
constexpr int kRandomCases = 300;
constexpr double kRunTimeoutSeconds = 120;

struct Case {
  std::string name;
  json::object params;
};

// The value a capped field may take at most in this test.
double capped_high(const NumericFieldRange& range) {
  if (range.name == "num_particles") return kMaxParticles;
  if (range.name == "steps") return kMaxSteps;
  return range.high;
}

// The smallest accepted value: an open lower bound is approached from above.
double lowest(const NumericFieldRange& range) {
  if (range.low_inclusive) return range.low;
  return range.integer ? range.low + 1 : std::nextafter(range.low, range.high);
}

json::value as_json(const NumericFieldRange& range, double value) {
  if (range.integer) return json::value(static_cast<int64_t>(std::llround(value)));
  return json::value(value);
}

json::object params_with(const json::object& config, std::string_view mode = "open_chemistry") {
  return json::object{{"simulation_config", json::object{{"mode", mode}, {"config", config}}}};
}

// The defaults, with the two capped fields at their caps (their defaults are larger).
json::object base_config() { return json::object{{"num_particles", kMaxParticles}, {"steps", kMaxSteps}}; }

json::object base_source() { return json::object{{"x", 0.5}, {"y", 0.5}, {"radius", 0.1}, {"temperature", 1000.0}}; }

std::vector<Case> edge_cases() {
  std::vector<Case> cases;
  cases.push_back({"defaults", params_with(base_config())});
  for (const NumericFieldRange& range : config_field_ranges()) {
    for (const auto& [label, value] : {std::pair{"min", lowest(range)}, std::pair{"max", capped_high(range)}}) {
      json::object config = base_config();
      config[range.name] = as_json(range, value);
      if (!parse_params(params_with(config)).config) config["reactions"] = false;
      cases.push_back({std::string(range.name) + "=" + label, params_with(config)});
    }
  }
  for (const NumericFieldRange& range : energy_source_field_ranges()) {
    for (const auto& [label, value] : {std::pair{"min", lowest(range)}, std::pair{"max", capped_high(range)}}) {
      json::object source = base_source();
      source[range.name] = as_json(range, value);
      json::object config = base_config();
      config["energy_sources"] = json::array{source};
      cases.push_back({"energy_sources[0]." + std::string(range.name) + "=" + label, params_with(config)});
    }
  }
  json::object with_default_source = base_config();
  with_default_source["energy_sources"] = json::array{base_source()};  // period and duty at their defaults
  cases.push_back({"energy_sources[0] defaults", params_with(with_default_source)});
  const NumericFieldRange& fraction = composition_fraction_range();
  for (Element element : kAllElements) {
    for (const auto& [label, value] : {std::pair{"min", fraction.low}, std::pair{"max", fraction.high}}) {
      json::object composition;
      for (Element other : kAllElements) composition[element_symbol(other)] = 1.0;
      composition[element_symbol(element)] = value;
      json::object config = base_config();
      config["composition"] = composition;
      cases.push_back({"composition." + std::string(element_symbol(element)) + "=" + label, params_with(config)});
    }
  }
  for (const std::string& preset : preset_names()) {
    json::object config = base_config();
    config["preset"] = preset;
    cases.push_back({"preset " + preset, params_with(config, "preset_prebiotic")});
  }
  return cases;
}

// Uniform in [low, high]; logarithmic for counts spanning more than two decades (atoms, steps, intervals) and reals
// spanning more than three, so that small values are drawn as often as large ones (and most runs stay short).
double draw(std::mt19937_64& random, const NumericFieldRange& range) {
  const double low = lowest(range), high = capped_high(range);
  double value;
  if (low > 0 && high / low > (range.integer ? 100 : 1000)) {
    value = std::exp(std::uniform_real_distribution<double>(std::log(low), std::log(high))(random));
  } else {
    value = std::uniform_real_distribution<double>(low, high)(random);
  }
  return std::clamp(range.integer ? std::round(value) : value, low, high);
}

json::object random_params(std::mt19937_64& random) {
  std::bernoulli_distribution often(0.8), sometimes(0.3);
  const bool preset_mode = sometimes(random);
  json::object config;
  for (const NumericFieldRange& range : config_field_ranges()) {
    if (often(random)) config[range.name] = as_json(range, draw(random, range));
  }
  // Their defaults (1,000 atoms, 10,000 steps) exceed the caps.
  if (!config.contains("num_particles")) config["num_particles"] = kMaxParticles;
  if (!config.contains("steps")) config["steps"] = kMaxSteps;
  config["seed"] = random();
  if (sometimes(random)) config["reactions"] = false;
  if (sometimes(random)) config["thermostat"] = false;
  if (preset_mode) {
    config["preset"] = preset_names()[std::uniform_int_distribution<size_t>(0, preset_names().size() - 1)(random)];
  } else if (often(random)) {
    json::object composition;
    for (Element element : kAllElements) {
      if (often(random)) composition[element_symbol(element)] = draw(random, composition_fraction_range());
    }
    if (composition.empty()) composition["H"] = 1.0;
    config["composition"] = composition;
  }
  if (sometimes(random)) {
    json::array sources;
    const int count = std::uniform_int_distribution<int>(0, 3)(random);
    for (int i = 0; i < count; ++i) {
      json::object source;
      for (const NumericFieldRange& range : energy_source_field_ranges()) {
        source[range.name] = as_json(range, draw(random, range));
      }
      sources.push_back(source);
    }
    config["energy_sources"] = sources;
  }
  return params_with(config, preset_mode ? "preset_prebiotic" : "open_chemistry");
}

// Random combinations the validator accepts; refused ones (the dt stability bound) are not part of the space.
std::vector<Case> random_cases(int count, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Case> cases;
  for (int draws = 0; static_cast<int>(cases.size()) < count && draws < 20 * count; ++draws) {
    json::object params = random_params(random);
    if (parse_params(params).config) cases.push_back({"random #" + std::to_string(draws), std::move(params)});
  }
  return cases;
}

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const size_t newline = trimmed.rfind('\n');
  return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

TEST(WorkerParamSpace, EveryAcceptedParameterSetEndsWithExit0OrAOneLineReason) {
  std::vector<Case> cases = edge_cases();
  const size_t edge_count = cases.size();
  for (Case& c : random_cases(kRandomCases, 20261205)) cases.push_back(std::move(c));
  ASSERT_EQ(cases.size(), edge_count + kRandomCases) << "too few random combinations were accepted";

  TempDir scratch("live2-param-space");
  std::atomic<size_t> next{0};
  std::mutex report_mutex;
  std::vector<std::string> problems;
  int finished = 0, failed = 0;
  const auto work = [&] {
    for (size_t i = next++; i < cases.size(); i = next++) {
      const Case& c = cases[i];
      const std::string text = json::serialize(c.params);
      const std::filesystem::path dir = scratch.path() / std::to_string(i);
      const CompletedProcess run = run_worker_with_params_file(text, dir / "out", dir / "process", 1);
      const std::string reason = last_line(run.stderr_text);
      std::string problem;
      if (run.exit_code == 0) {
        if (!std::filesystem::exists(dir / "out" / "metadata.json")) problem = "exit 0 without metadata.json";
      } else if (run.exit_code == 1) {
        if (!reason.starts_with("live2-sim: ") || reason.size() <= 11) problem = "exit 1 without a reason line";
      } else if (run.exit_code < 0) {
        problem = "did not finish within " + std::to_string(kRunTimeoutSeconds) + " s";
      } else {
        problem = run.exit_code > 128 ? "killed by signal " + std::to_string(run.exit_code - 128)
                                      : "exit " + std::to_string(run.exit_code);
      }
      std::filesystem::remove_all(dir);  // a few hundred runs' artifacts would otherwise pile up
      const std::lock_guard lock(report_mutex);
      if (!problem.empty()) {
        problems.push_back(c.name + ": " + problem + "\n  params: " + text + "\n  last stderr line: " + reason);
      } else if (run.exit_code == 0) {
        ++finished;
      } else {
        ++failed;
      }
    }
  };
  const int parallel = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  std::vector<std::thread> workers;
  for (int t = 0; t < parallel; ++t) workers.emplace_back(work);
  for (std::thread& worker : workers) worker.join();

  for (const std::string& problem : problems) ADD_FAILURE() << problem;
  RecordProperty("finished", finished);
  RecordProperty("failed_with_reason", failed);
  std::printf("%zu parameter sets: %d finished, %d stopped with a reason line, %zu problems\n", cases.size(),
              finished, failed, problems.size());
}

}  // namespace
}  // namespace live2::worker::testing
