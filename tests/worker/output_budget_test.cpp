// The output budget, end to end with the real worker: the estimate the API makes at submit
// (worker/output_estimate.h) bounds what live2-sim really writes, and a worker given a budget it overruns stops with
// exit 1, one error line and no metadata.json.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <fstream>

#include "worker/output_budget.h"
#include "worker/output_estimate.h"
#include "worker_run_support.h"

namespace live2::worker::testing {

using namespace live2::sim;
namespace {

std::vector<std::string> error_lines(const std::string& text) {
  std::vector<std::string> found;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.find(" error ") != std::string::npos || line.starts_with("live2-sim: failed")) found.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return found;
}

SimulationConfig config_of(const std::string& params) {
  ParseOutcome parsed = parse_params(boost::json::parse(params));
  EXPECT_TRUE(parsed.config.has_value());
  return parsed.config.value_or(SimulationConfig{});
}

TEST(WorkerOutputBudget, AWorkerThatOverrunsItsBudgetStopsWithOneLineAndNoMetadata) {
  TempDir scratch("live2-worker-budget");
  const std::filesystem::path out = scratch.path() / "out";
  const std::string params = open_chemistry_params(R"("num_particles": 200, "steps": 3000, "snapshot_interval": 1)");
  const int64_t budget_bytes = 400'000;  // a few dozen snapshots of 200 atoms; the run would write 3,001
  std::filesystem::create_directories(scratch.path() / "process");
  std::ofstream(scratch.path() / "process" / "params.json") << params;
  const CompletedProcess run =
      run_process({worker_binary(), "run", "--params", (scratch.path() / "process" / "params.json").string(), "--out",
                   out.string(), "--threads", "1"},
                  {{"OUTPUT_BUDGET_BYTES", std::to_string(budget_bytes)}}, scratch.path() / "process");
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  const std::vector<std::string> errors = error_lines(run.stderr_text);
  ASSERT_EQ(errors.size(), 1u) << run.stderr_text;
  EXPECT_NE(errors[0].find("output budget exceeded at step"), std::string::npos) << errors[0];
  EXPECT_NE(errors[0].find("snapshot_interval"), std::string::npos) << errors[0];
  EXPECT_FALSE(std::filesystem::exists(out / "metadata.json")) << "a stopped run must not claim to be complete";
  EXPECT_FALSE(std::filesystem::exists(out / "summary.json"));
  // Stopped right after the write that crossed the budget: one snapshot (~4 KB here) past it at most.
  EXPECT_LT(directory_bytes(out), budget_bytes + 64 * 1024);
  EXPECT_NE(read_file_text(out / "simulation.log").find("output budget exceeded"), std::string::npos);
}

TEST(WorkerOutputBudget, ABudgetThatIsNotAPositiveIntegerIsRefusedBeforeAnythingIsWritten) {
  TempDir scratch("live2-worker-budget-bad");
  const std::filesystem::path out = scratch.path() / "out";
  for (const char* value : {"lots", "-5", "0", "12abc"}) {
    const CompletedProcess run = run_process({worker_binary(), "run", "--out", out.string()},
                                             {{"JOB_PARAMS", open_chemistry_params(R"("num_particles": 50)")},
                                              {"OUTPUT_BUDGET_BYTES", value}},
                                             scratch.path() / "process");
    EXPECT_EQ(run.exit_code, 64) << value;
    EXPECT_TRUE(run.stderr_text.starts_with("OUTPUT_BUDGET_BYTES: must be a positive integer")) << run.stderr_text;
    EXPECT_FALSE(std::filesystem::exists(out)) << value;
  }
}

// The estimate must never be below what a run writes (or a job could pass the submit check and then be stopped),
// and stay within kMaxOverestimate of it (or the budget would refuse runs that fit). Each case stresses one term.
struct EstimateCase {
  const char* name;
  const char* config;
  double max_overestimate;  // estimate / real bytes
};

class WorkerOutputEstimate : public ::testing::TestWithParam<EstimateCase> {};

TEST_P(WorkerOutputEstimate, BoundsTheRealArtifactsWithinTheStatedFactor) {
  TempDir scratch("live2-worker-estimate");
  const std::filesystem::path out = scratch.path() / "out";
  const std::string params = open_chemistry_params(GetParam().config);
  const CompletedProcess run = run_worker_with_params_file(params, out, scratch.path() / "process", 2);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  const int64_t real_bytes = directory_bytes(out);
  const OutputEstimate estimate = estimate_output_bytes(config_of(params));
  const double ratio = static_cast<double>(estimate.total_bytes()) / static_cast<double>(real_bytes);
  RecordProperty("real_bytes", std::to_string(real_bytes));
  RecordProperty("estimated_bytes", std::to_string(estimate.total_bytes()));
  std::printf("%s: real %lld bytes, estimated %lld bytes, ratio %.2f\n", GetParam().name,
              static_cast<long long>(real_bytes), static_cast<long long>(estimate.total_bytes()), ratio);
  EXPECT_GE(estimate.total_bytes(), real_bytes);
  EXPECT_LE(ratio, GetParam().max_overestimate);
}

INSTANTIATE_TEST_SUITE_P(
    Runs, WorkerOutputEstimate,
    ::testing::Values(
        EstimateCase{"snapshot_every_step", R"("num_particles": 400, "steps": 1500, "snapshot_interval": 1)", 3.0},
        EstimateCase{"analysis_every_step",
                     R"("num_particles": 100, "steps": 20000, "analysis_interval": 1, "snapshot_interval": 20000)",
                     3.0},
        EstimateCase{"many_atoms", R"("num_particles": 20000, "steps": 200)", 3.0},
        EstimateCase{"default_intervals", R"("num_particles": 1000, "steps": 4000)", 3.0},
        EstimateCase{"hot_reactive", R"("num_particles": 1000, "steps": 4000, "temperature": 1200)", 3.0},
        EstimateCase{"long_chemistry", R"("num_particles": 300, "steps": 20000)", 3.0}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace live2::worker::testing
