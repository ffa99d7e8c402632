#include "worker/output_estimate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/parse.hpp>

#include "core/job_request.h"
#include "core/tiers.h"
#include "worker/simulation_params_validator.h"

namespace live2::worker {
namespace {

boost::json::value params(int64_t num_particles, int64_t steps, const std::string& extra = "") {
  return boost::json::parse(R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":)" +
                            std::to_string(num_particles) + R"(,"steps":)" + std::to_string(steps) + extra + "}}}");
}

sim::SimulationConfig config(int64_t num_particles, int64_t steps, const std::string& extra = "") {
  sim::ParseOutcome parsed = sim::parse_params(params(num_particles, steps, extra));
  EXPECT_TRUE(parsed.config) << (parsed.errors.empty() ? "" : parsed.errors[0].message);
  return parsed.config.value_or(sim::SimulationConfig{});
}

// Every run a tier allows, at the default intervals, fits its budget: the budget refuses greedy intervals, not size
// (which particle-steps per job already limits).
TEST(OutputEstimate, EveryRunATierAllowsAtDefaultIntervalsFitsItsBudget) {
  for (Tier tier : kAllTiers) {
    const TierLimits limits = default_limits(tier);
    for (int64_t atoms : {2LL, 1'000LL, 100'000LL, 2'000'000LL}) {
      const int64_t steps = std::clamp<int64_t>(limits.particle_steps_per_job / atoms, 1, 1'000'000'000);
      const OutputEstimate estimate = estimate_output_bytes(config(atoms, steps));
      EXPECT_LE(estimate.total_bytes(), limits.output_bytes_per_job)
          << to_string(tier) << ": " << atoms << " atoms x " << steps << " steps";
    }
  }
}

TEST(OutputEstimate, ASnapshotEveryStepOfALongRunIsOverTheHobbyBudget) {
  const OutputEstimate estimate = estimate_output_bytes(config(1000, 1'000'000, R"(,"snapshot_interval":1)"));
  EXPECT_EQ(estimate.snapshots, 1'000'001);
  EXPECT_GT(estimate.total_bytes(), default_limits(Tier::hobby).output_bytes_per_job);
  EXPECT_EQ(estimate.dominant_field(), "snapshot_interval");
}

TEST(OutputEstimate, NamesTheParameterThatDominates) {
  EXPECT_EQ(estimate_output_bytes(config(100, 100'000, R"(,"analysis_interval":1,"snapshot_interval":100000)"))
                .dominant_field(),
            "analysis_interval");
  EXPECT_EQ(estimate_output_bytes(config(100'000, 10, R"(,"snapshot_interval":10)")).dominant_field(), "num_particles");
  // Snapshots dominate, but only the first and the last are left: a longer interval cannot help.
  EXPECT_EQ(estimate_output_bytes(config(2'000'000, 1, R"(,"snapshot_interval":1)")).dominant_field(), "num_particles");
}

TEST(OutputEstimate, CountsTheLastStepWhenItIsNotAMultipleOfTheInterval) {
  EXPECT_EQ(estimate_output_bytes(config(100, 1000, R"(,"snapshot_interval":300)")).snapshots, 5);  // 0..900, 1000
  EXPECT_EQ(estimate_output_bytes(config(100, 1000, R"(,"snapshot_interval":250)")).snapshots, 5);  // 0..1000
}

TEST(CheckJobSize, NamesTheFieldTheBudgetAndTheTier) {
  JobRequest request;
  request.size = SimulationParamsValidator(2).assess(params(1000, 10'000, R"(,"snapshot_interval":1)"));
  ASSERT_TRUE(request.size.errors.empty());
  TierLimits limits = default_limits(Tier::hobby);
  limits.output_bytes_per_job = 100'000'000;
  Status fits = check_job_size(request, limits, Tier::hobby);
  ASSERT_FALSE(fits);
  EXPECT_EQ(fits.error().code, ErrorCode::validation_failed);
  ASSERT_EQ(fits.error().details.size(), 1u);
  EXPECT_EQ(fits.error().details[0].field, "params.simulation_config.config.snapshot_interval");
  EXPECT_NE(fits.error().details[0].message.find("more than the 100000000 bytes per job of the hobby tier; its 10001 "
                                                 "snapshots take"),
            std::string::npos)
      << fits.error().details[0].message;
  limits.output_bytes_per_job = request.size.output_bytes;
  EXPECT_TRUE(check_job_size(request, limits, Tier::hobby)) << "a job exactly at the budget fits";
}

}  // namespace
}  // namespace live2::worker
