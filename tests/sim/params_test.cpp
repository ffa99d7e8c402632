// parse_params is the one validator: defaults, every bad field reported with its path, mode-specific fields, unknown
// fields, and resolved_params_json round-trips.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sim/params.h"

namespace live2::sim {
namespace {

ParseOutcome parse(std::string_view text) { return parse_params(boost::json::parse(text)); }

std::vector<std::string> fields(const ParseOutcome& outcome) {
  std::vector<std::string> out;
  for (const ParamError& e : outcome.errors) out.push_back(e.field);
  return out;
}

TEST(Params, FillsEveryDefault) {
  const ParseOutcome outcome = parse(R"({"simulation_config": {"mode": "open_chemistry"}})");
  ASSERT_TRUE(outcome.config) << outcome.errors.size();
  const SimulationConfig& c = *outcome.config;
  EXPECT_EQ(c.mode, Mode::open_chemistry);
  EXPECT_EQ(c.num_particles, 1000);
  EXPECT_EQ(c.temperature, 300.0);
  EXPECT_EQ(c.steps, 50000);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_EQ(c.dt_fs, 0.8);
  EXPECT_EQ(c.dt(), 0.01);
  EXPECT_EQ(c.chemistry_scale, 0.1);
  EXPECT_EQ(c.density, 0.4);
  EXPECT_EQ(c.friction, 1.0);
  EXPECT_TRUE(c.reactions);
  EXPECT_TRUE(c.energy_sources.empty());
  EXPECT_EQ(c.snapshot_interval, 2500);  // steps / 20
  EXPECT_EQ(c.analysis_interval, 100);   // max(100, steps / 500)
  EXPECT_DOUBLE_EQ(c.composition[element_index(Element::H)], 0.5);
  EXPECT_DOUBLE_EQ(c.composition[element_index(Element::C)], 0.2);
  EXPECT_DOUBLE_EQ(c.composition[element_index(Element::N)], 0.1);
  EXPECT_DOUBLE_EQ(c.composition[element_index(Element::O)], 0.2);
  EXPECT_DOUBLE_EQ(c.box_size(), std::sqrt(1000 / 0.4));
}

TEST(Params, IntervalsDefaultFromSteps) {
  const ParseOutcome outcome = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"steps": 1000000}}})");
  ASSERT_TRUE(outcome.config);
  EXPECT_EQ(outcome.config->snapshot_interval, 50000);
  EXPECT_EQ(outcome.config->analysis_interval, 2000);
}

TEST(Params, PresetGetsItsDefaultsAndEnergySources) {
  const ParseOutcome outcome = parse(R"({"simulation_config": {"mode": "preset_prebiotic"}})");
  ASSERT_TRUE(outcome.config);
  EXPECT_EQ(outcome.config->preset, "miller_urey");
  ASSERT_EQ(outcome.config->energy_sources.size(), 1u);
  EXPECT_GT(outcome.config->energy_sources[0].temperature, 1000.0);  // lightning
  const ParseOutcome vents = parse(
      R"({"simulation_config": {"mode": "preset_prebiotic", "config": {"preset": "hydrothermal", "energy_sources": []}}})");
  ASSERT_TRUE(vents.config);
  EXPECT_EQ(vents.config->preset, "hydrothermal");
  EXPECT_TRUE(vents.config->energy_sources.empty());  // an explicit empty list means none
}

TEST(Params, ReportsEveryBadFieldAtOnce) {
  const ParseOutcome outcome = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "num_particles": 1, "temperature": 0.5, "steps": "many", "seed": 1.5, "dt_fs": 40, "density": 2,
      "friction": -1, "reactions": "yes", "snapshot_interval": 0, "analysis_interval": 0,
      "composition": {"H": -1, "Xe": 0.5}, "colour": "red",
      "energy_sources": [{"x": 2, "y": 0.5, "radius": 0, "temperature": 9000, "period_steps": -1, "duty": 0, "z": 1},
                         {"x": 0.5}]}}})");
  EXPECT_FALSE(outcome.config);
  const std::vector<std::string> expected = {
      "simulation_config.config.num_particles",    "simulation_config.config.temperature",
      "simulation_config.config.steps",            "simulation_config.config.seed",
      "simulation_config.config.dt_fs",            "simulation_config.config.density",
      "simulation_config.config.friction",         "simulation_config.config.reactions",
      "simulation_config.config.snapshot_interval", "simulation_config.config.analysis_interval",
      "simulation_config.config.composition.H",    "simulation_config.config.composition.Xe",
      "simulation_config.config.colour",
      "simulation_config.config.energy_sources[0].x",
      "simulation_config.config.energy_sources[0].radius",
      "simulation_config.config.energy_sources[0].temperature",
      "simulation_config.config.energy_sources[0].period_steps",
      "simulation_config.config.energy_sources[0].duty",
      "simulation_config.config.energy_sources[0].z",
      "simulation_config.config.energy_sources[1].y",
      "simulation_config.config.energy_sources[1].radius",
      "simulation_config.config.energy_sources[1].temperature"};
  const std::vector<std::string> got = fields(outcome);
  for (const std::string& field : expected) {
    EXPECT_NE(std::find(got.begin(), got.end(), field), got.end()) << "missing error for " << field;
  }
  EXPECT_EQ(got.size(), expected.size());
  for (const ParamError& e : outcome.errors) EXPECT_FALSE(e.message.empty()) << e.field;
}

// Issue 15: dt became dt_fs (femtoseconds). The old name is refused with a message naming the new one and how to
// convert, never silently taken in the new unit; other unknown names stay "unknown field".
TEST(Params, TheRenamedDtIsRefusedNamingDtFs) {
  const ParseOutcome old_name = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"dt": 0.005}}})");
  ASSERT_FALSE(old_name.config);
  ASSERT_EQ(old_name.errors.size(), 1u);
  EXPECT_EQ(old_name.errors[0].field, "simulation_config.config.dt");
  EXPECT_NE(old_name.errors[0].message.find("renamed to dt_fs"), std::string::npos) << old_name.errors[0].message;
  EXPECT_NE(old_name.errors[0].message.find("dt_fs 0.4"), std::string::npos);
  const ParseOutcome new_name = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"dt_fs": 0.8}}})");
  ASSERT_TRUE(new_name.config);
  EXPECT_EQ(new_name.config->dt(), 0.01);
  const ParseOutcome energy_source = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "energy_sources": [{"x": 0.5, "y": 0.5, "radius": 0.1, "temperature": 600, "dt": 1}]}}})");
  ASSERT_EQ(energy_source.errors.size(), 1u);
  EXPECT_EQ(energy_source.errors[0].message, "unknown field");  // no dt_fs there to point to
}

TEST(Params, ChemistryScaleHasADefaultARangeAndIsResolved) {
  const ParseOutcome scaled =
      parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"chemistry_scale": 0.1}}})");
  ASSERT_TRUE(scaled.config);
  EXPECT_EQ(scaled.config->chemistry_scale, 0.1);
  EXPECT_EQ(resolved_params_json(*scaled.config).at("simulation_config").at("config").at("chemistry_scale").as_double(),
            0.1);
  for (const char* bad : {"0", "1.5", "-0.1", "\"x\""}) {
    const ParseOutcome outcome = parse(std::string(R"({"simulation_config": {"mode": "open_chemistry", "config": {
        "chemistry_scale": )") + bad + "}}}");
    EXPECT_FALSE(outcome.config) << bad;
  }
}

TEST(Params, ModeIsRequiredAndChecked) {
  EXPECT_EQ(fields(parse(R"({"simulation_config": {}})")),
            std::vector<std::string>{"simulation_config.mode"});
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "soup"}})")),
            std::vector<std::string>{"simulation_config.mode"});
  EXPECT_EQ(fields(parse(R"({})")), std::vector<std::string>{"simulation_config"});
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "open_chemistry"}, "extra": 1})")),
            std::vector<std::string>{"extra"});
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "open_chemistry", "cfg": {}}})")),
            std::vector<std::string>{"simulation_config.cfg"});
  EXPECT_EQ(fields(parse(R"([1, 2])")), std::vector<std::string>{""});
}

TEST(Params, PresetAndCompositionBelongToTheirModes) {
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"preset": "formamide"}}})")),
            std::vector<std::string>{"simulation_config.config.preset"});
  EXPECT_EQ(
      fields(parse(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {"composition": {"H": 1}}}})")),
      std::vector<std::string>{"simulation_config.config.composition"});
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {"preset": "venus"}}})")),
            std::vector<std::string>{"simulation_config.config.preset"});
}

TEST(Params, CompositionIsNormalised) {
  const ParseOutcome outcome =
      parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"composition": {"C": 1, "S": 3}}}})");
  ASSERT_TRUE(outcome.config);
  EXPECT_DOUBLE_EQ(outcome.config->composition[element_index(Element::C)], 0.25);
  EXPECT_DOUBLE_EQ(outcome.config->composition[element_index(Element::S)], 0.75);
  EXPECT_DOUBLE_EQ(outcome.config->composition[element_index(Element::H)], 0.0);
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"composition": {"H": 0}}}})")),
            std::vector<std::string>{"simulation_config.config.composition"});
}

TEST(Params, SeedTakesAny64BitValue) {
  const ParseOutcome big =
      parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"seed": 18446744073709551615}}})");
  ASSERT_TRUE(big.config);
  EXPECT_EQ(big.config->seed, UINT64_MAX);
  const ParseOutcome negative = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"seed": -1}}})");
  ASSERT_TRUE(negative.config);
  EXPECT_EQ(negative.config->seed, UINT64_MAX);
}

// Left out, dt_fs is 0.8 fs or what the run's bounds allow, whichever is less, in whole 0.01 fs: a hot source or bath
// (the thermal bound 0.022 / sqrt(kT / m) for H: 0.55 fs at 3,000 K) or a high attempt rate (1 / nu) lowers it, and a
// source's period_steps counts steps of that dt.
TEST(Params, TheDefaultStepStaysWithinTheRunsBounds) {
  const ParseOutcome hot = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"energy_sources": [
      {"x": 0.5, "y": 0.5, "radius": 0.1, "temperature": 3000, "period_steps": 100, "duty": 0.5}]}}})");
  ASSERT_TRUE(hot.config) << hot.errors.front().message;
  EXPECT_EQ(hot.config->dt_fs, 0.55);
  EXPECT_DOUBLE_EQ(hot.config->energy_sources[0].period, 100 * hot.config->dt());
  const ParseOutcome hot_bath = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "temperature": 3000}}})");
  ASSERT_TRUE(hot_bath.config);
  EXPECT_EQ(hot_bath.config->dt_fs, 0.55);
  const ParseOutcome eager = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "attempt_rate": 160}}})");
  ASSERT_TRUE(eager.config);
  EXPECT_EQ(eager.config->dt_fs, 0.5);  // 1 / 160 tau = 0.5 fs
  const ParseOutcome given = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "temperature": 3000, "dt_fs": 0.7}}})");
  EXPECT_FALSE(given.config) << "a given dt_fs is checked, never lowered";
}

TEST(Params, ResolvedJsonRoundTrips) {
  const ParseOutcome outcome = parse(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {
      "preset": "formamide", "steps": 777, "seed": 9, "energy_sources": [{"x": 0.1, "y": 0.2, "radius": 0.05,
      "temperature": 900, "period_steps": 50, "duty": 0.25}]}}})");
  ASSERT_TRUE(outcome.config);
  const boost::json::object resolved = resolved_params_json(*outcome.config);
  const ParseOutcome again = parse_params(resolved);
  ASSERT_TRUE(again.config) << again.errors.front().field;
  EXPECT_EQ(resolved_params_json(*again.config), resolved);
  EXPECT_DOUBLE_EQ(again.config->energy_sources[0].period, 50 * 0.01);  // period_steps names steps at this dt
  EXPECT_EQ(again.config->steps, 777);
}

TEST(Params, DtBeyondTheStabilityBoundIsRefusedOnTheDtField) {
  const auto with = [](std::string_view config) {
    return parse(std::string(R"({"simulation_config": {"mode": "open_chemistry", "config": )") + std::string(config) +
                 "}}");
  };
  // The issue's crashing runs: all beyond dt * sqrt(T / 300 / m_H) = 0.022.
  for (std::string_view crashing : {R"({"temperature": 5000, "dt_fs": 1.6})", R"({"temperature": 1000, "dt_fs": 1.6})",
                                    R"({"temperature": 5000, "dt_fs": 0.8})"}) {
    const ParseOutcome outcome = with(crashing);
    EXPECT_EQ(fields(outcome), std::vector<std::string>{"simulation_config.config.dt_fs"}) << crashing;
    for (const ParamError& error : outcome.errors) EXPECT_NE(error.message.find("lower dt"), std::string::npos);
  }
  {
    const ParseOutcome hottest = with(R"({"temperature": 5000, "dt_fs": 1.6})");
    ASSERT_FALSE(hottest.errors.empty());
    EXPECT_TRUE(hottest.errors[0].message.starts_with("must be at most 0.431 fs at 5000 K")) << hottest.errors[0].message;
  }
  // Each field at its default and the other at its maximum stays accepted.
  EXPECT_TRUE(with(R"({"temperature": 5000})").config);
  EXPECT_TRUE(with(R"({"dt_fs": 1.6, "reactions": false})").config);
  // Heavier atoms may take longer steps; a hot energy source counts like a hot bath.
  EXPECT_TRUE(with(R"({"temperature": 5000, "dt_fs": 0.8, "composition": {"C": 1, "O": 1}})").config);
  EXPECT_EQ(fields(with(R"({"energy_sources": [{"x": 0.5, "y": 0.5, "radius": 0.1, "temperature": 5000}],
                           "dt_fs": 0.8})")),
            std::vector<std::string>{"simulation_config.config.dt_fs"});
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {"dt_fs": 1.6}}})")),
            std::vector<std::string>{"simulation_config.config.dt_fs"});  // miller_urey's lightning is 3000 K
}

TEST(Params, ReactionFieldsHaveDefaultsRangesAndTheirCrossFieldBounds) {
  const ParseOutcome defaults = parse(R"({"simulation_config": {"mode": "open_chemistry"}})");
  ASSERT_TRUE(defaults.config);
  EXPECT_EQ(defaults.config->capture_factor, 1.3);
  EXPECT_EQ(defaults.config->attempt_rate, 20.0);
  EXPECT_EQ(defaults.config->barrier_scale, 1.0);
  EXPECT_TRUE(defaults.config->thermostat);
  const ParseOutcome bad = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "capture_factor": 1.0, "attempt_rate": 0, "barrier_scale": -1, "thermostat": "no"}}})");
  EXPECT_EQ(fields(bad), (std::vector<std::string>{"simulation_config.config.capture_factor",
                                                   "simulation_config.config.attempt_rate",
                                                   "simulation_config.config.barrier_scale",
                                                   "simulation_config.config.thermostat"}));
  // A pair is tried at most once per step.
  const ParseOutcome too_often = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "attempt_rate": 150, "dt_fs": 0.8}}})");
  EXPECT_EQ(fields(too_often), std::vector<std::string>{"simulation_config.config.attempt_rate"});
  EXPECT_TRUE(parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"attempt_rate": 150, "dt_fs": 0.8,
      "reactions": false}}})").config);
  // omega dt <= 0.5 for H-H (omega = sqrt(400 / 0.5)): dt 0.0176 passes, 0.018 does not, unless no bond can exist.
  const auto with_dt = [](double dt, bool reactions) {
    return parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"dt_fs": )" + std::to_string(dt * 80) +
                 R"(, "reactions": )" + (reactions ? "true" : "false") + "}}}");
  };
  EXPECT_TRUE(with_dt(0.0176, true).config);
  const ParseOutcome stiff = with_dt(0.018, true);
  ASSERT_EQ(fields(stiff), std::vector<std::string>{"simulation_config.config.dt_fs"});
  EXPECT_TRUE(stiff.errors[0].message.starts_with("must be at most 1.414 fs when bonds")) << stiff.errors[0].message;
  EXPECT_TRUE(with_dt(0.018, false).config);
  EXPECT_EQ(fields(parse(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {"dt_fs": 1.44,
      "reactions": false, "energy_sources": []}}})")),
            std::vector<std::string>{"simulation_config.config.dt_fs"});  // the preset's molecules are bonded
}

TEST(Params, EnergySourcePeriodIsInTimeAndPeriodStepsConverts) {
  const ParseOutcome outcome = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {"dt_fs": 0.16,
      "energy_sources": [{"x": 0.5, "y": 0.5, "radius": 0.1, "temperature": 600, "period": 4, "duty": 0.25},
                         {"x": 0.5, "y": 0.5, "radius": 0.1, "temperature": 600, "period_steps": 1000}]}}})");
  ASSERT_TRUE(outcome.config);
  const EnergySource& timed = outcome.config->energy_sources[0];
  EXPECT_EQ(timed.period, 4.0);
  EXPECT_TRUE(timed.active_at(0.0));
  EXPECT_TRUE(timed.active_at(8.99));
  EXPECT_FALSE(timed.active_at(9.01));
  EXPECT_DOUBLE_EQ(outcome.config->energy_sources[1].period, 2.0);
  const ParseOutcome both = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "energy_sources": [{"x": 0.5, "y": 0.5, "radius": 0.1, "temperature": 600, "period": 4, "period_steps": 10}]}}})");
  EXPECT_EQ(fields(both), std::vector<std::string>{"simulation_config.config.energy_sources[0].period_steps"});
  // The presets' schedules are in time: miller_urey's lightning is on 0.5 of every 5 time units at any dt.
  const ParseOutcome preset = parse(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {"dt_fs": 0.08}}})");
  ASSERT_TRUE(preset.config);
  EXPECT_EQ(preset.config->energy_sources[0].period, 5.0);
  EXPECT_EQ(preset.config->energy_sources[0].duty, 0.1);
}

TEST(Params, ConstantEnergyRunsHaveNoEnergySources) {
  const ParseOutcome preset = parse(R"({"simulation_config": {"mode": "preset_prebiotic", "config": {
      "thermostat": false}}})");
  ASSERT_TRUE(preset.config);
  EXPECT_TRUE(preset.config->energy_sources.empty());  // the preset's default lightning heats a bath there is not
  const ParseOutcome explicit_source = parse(R"({"simulation_config": {"mode": "open_chemistry", "config": {
      "thermostat": false, "energy_sources": [{"x": 0.5, "y": 0.5, "radius": 0.1, "temperature": 600}]}}})");
  EXPECT_EQ(fields(explicit_source), std::vector<std::string>{"simulation_config.config.energy_sources"});
}

TEST(Params, RuntimeEstimateGrowsWithWork) {
  SimulationConfig small, large = small;
  large.num_particles *= 10;
  EXPECT_GT(estimate_runtime_seconds(large, 2), estimate_runtime_seconds(small, 2));
  EXPECT_GT(estimate_runtime_seconds(small, 1), estimate_runtime_seconds(small, 8));
}

}  // namespace
}  // namespace live2::sim
