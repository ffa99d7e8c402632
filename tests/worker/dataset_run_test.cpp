// One run of a dataset (RUN_INDEX / AWS_BATCH_JOB_ARRAY_INDEX): the real live2-sim given the dataset's params and an
// index runs exactly the run plan_dataset planned, under runs/<index>/ and named <dataset>:<index>, and a bad index
// is exit 64 naming its variable with nothing written.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/dataset_plan.h"
#include "h5_contents.h"
#include "worker/simulation_params_validator.h"
#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

namespace json = boost::json;

const std::string kDatasetParams =
    R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100, "steps": 400, "seed": 5,)"
    R"( "analysis_interval": 100, "snapshot_interval": 200}}, "sweep": {"temperature": [300, 600]}, "replicas": 2})";

json::value read_json(const std::filesystem::path& file) { return json::parse(read_file_text(file)); }

PlannedRun planned_run(int64_t index) {
  const SimulationParamsValidator validator(1);
  auto plan = plan_dataset(json::parse(kDatasetParams), validator, 100);
  EXPECT_TRUE(plan.ok());
  return plan->runs.at(static_cast<size_t>(index));
}

std::map<std::string, std::string> artifact_hashes(const json::value& metadata) {
  std::map<std::string, std::string> hashes;
  for (const json::value& artifact : metadata.at("artifacts").as_array()) {
    hashes[json::value_to<std::string>(artifact.at("name"))] = json::value_to<std::string>(artifact.at("sha256"));
  }
  return hashes;
}

CompletedProcess run_dataset_worker(const std::map<std::string, std::string>& environment,
                                    const std::filesystem::path& out, const std::filesystem::path& scratch) {
  return run_process({worker_binary(), "run", "--out", out.string(), "--threads", "1"}, environment, scratch);
}

TEST(WorkerDatasetRun, RunIndexRunsThePlannedRunUnderItsOwnDirectory) {
  TempDir scratch("live2-worker-dataset-run");
  const std::filesystem::path dataset_out = scratch.path() / "dataset";
  const CompletedProcess indexed = run_dataset_worker(
      {{"JOB_ID", "ds-1"}, {"USER_ID", "u-1"}, {"JOB_PARAMS", kDatasetParams}, {"RUN_INDEX", "3"}}, dataset_out,
      scratch.path() / "indexed");
  ASSERT_EQ(indexed.exit_code, 0) << indexed.stderr_text;
  EXPECT_EQ(files_under(dataset_out).front().rfind("runs/3/", 0), 0u) << "everything goes under runs/3/";
  const json::value metadata = read_json(dataset_out / "runs/3/metadata.json");
  EXPECT_EQ(metadata.at("job_id"), json::value("ds-1:3"));

  // The same run given its own params directly, as the local executor runs it.
  const PlannedRun run = planned_run(3);
  const std::filesystem::path direct_out = scratch.path() / "direct";
  const CompletedProcess direct = run_dataset_worker(
      {{"JOB_ID", "ds-1:3"}, {"USER_ID", "u-1"}, {"JOB_PARAMS", run.params_json}}, direct_out, scratch.path() / "direct-process");
  ASSERT_EQ(direct.exit_code, 0) << direct.stderr_text;
  const json::value direct_metadata = read_json(direct_out / "metadata.json");
  EXPECT_EQ(direct_metadata.at("job_id"), json::value("ds-1:3"));

  // Same seed and params, same trajectory: every deterministic artifact is byte-identical (results.h5's datasets
  // too; its file bytes carry HDF5's object times).
  const auto hashes = artifact_hashes(metadata);
  const auto direct_hashes = artifact_hashes(direct_metadata);
  for (const char* name : {"metrics.csv", "species_counts.csv", "molecules.json", "reactions.json", "trajectory.extxyz",
                           "reaction_network.json"}) {
    ASSERT_TRUE(hashes.contains(name)) << name;
    EXPECT_EQ(hashes.at(name), direct_hashes.at(name)) << name;
  }
  EXPECT_EQ(read_all_datasets(dataset_out / "runs/3/results.h5"), read_all_datasets(direct_out / "results.h5"));
  const json::value summary = read_json(dataset_out / "runs/3/summary.json");
  const json::value direct_summary = read_json(direct_out / "summary.json");
  EXPECT_EQ(summary.at("seed").to_number<uint64_t>(), run.seed);
  EXPECT_EQ(summary.at("parameters"), direct_summary.at("parameters"));
  EXPECT_EQ(summary.at("final_metrics"), direct_summary.at("final_metrics"));
  EXPECT_EQ(summary.at("parameters").at("simulation_config").at("config").at("temperature"), json::value(600));
}

TEST(WorkerDatasetRun, AnArrayChildFindsItsRunFromTheBatchIndexAndRunIndexWins) {
  TempDir scratch("live2-worker-array-child");
  const std::filesystem::path out = scratch.path() / "dataset";
  const CompletedProcess child = run_dataset_worker(
      {{"JOB_ID", "ds-2"}, {"JOB_PARAMS", kDatasetParams}, {"AWS_BATCH_JOB_ARRAY_INDEX", "1"}}, out,
      scratch.path() / "child");
  ASSERT_EQ(child.exit_code, 0) << child.stderr_text;
  EXPECT_EQ(read_json(out / "runs/1/metadata.json").at("job_id"), json::value("ds-2:1"));
  EXPECT_EQ(read_json(out / "runs/1/summary.json").at("seed").to_number<uint64_t>(), planned_run(1).seed);

  // An invalid AWS_BATCH_JOB_ARRAY_INDEX does not matter when RUN_INDEX names the run.
  const CompletedProcess both = run_dataset_worker(
      {{"JOB_ID", "ds-2"}, {"JOB_PARAMS", kDatasetParams}, {"RUN_INDEX", "0"}, {"AWS_BATCH_JOB_ARRAY_INDEX", "x"}},
      out, scratch.path() / "both");
  ASSERT_EQ(both.exit_code, 0) << both.stderr_text;
  EXPECT_EQ(read_json(out / "runs/0/metadata.json").at("job_id"), json::value("ds-2:0"));
}

TEST(WorkerDatasetRun, ABadRunIndexIsExit64NamingTheVariableWithNothingWritten) {
  TempDir scratch("live2-worker-bad-run-index");
  const std::filesystem::path out = scratch.path() / "dataset";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"RUN_INDEX", "x"},  {"RUN_INDEX", "-1"}, {"RUN_INDEX", "1.5"}, {"RUN_INDEX", ""},
      {"RUN_INDEX", "4"},  {"RUN_INDEX", "99999999999999999999"}, {"AWS_BATCH_JOB_ARRAY_INDEX", "4"},
      {"AWS_BATCH_JOB_ARRAY_INDEX", "two"}};
  int case_number = 0;
  for (const auto& [variable, value] : cases) {
    const CompletedProcess run = run_dataset_worker({{"JOB_ID", "ds-3"}, {"JOB_PARAMS", kDatasetParams}, {variable, value}},
                                                    out, scratch.path() / ("case-" + std::to_string(case_number++)));
    EXPECT_EQ(run.exit_code, 64) << variable << "=" << value;
    EXPECT_TRUE(run.stderr_text.starts_with(variable + ": ")) << variable << "=" << value << ": " << run.stderr_text;
    EXPECT_EQ(std::count(run.stderr_text.begin(), run.stderr_text.end(), '\n'), 1) << run.stderr_text;
    EXPECT_FALSE(std::filesystem::exists(out)) << variable << "=" << value;
  }
  // Out of range says the range.
  const CompletedProcess outside = run_dataset_worker(
      {{"JOB_ID", "ds-3"}, {"JOB_PARAMS", kDatasetParams}, {"RUN_INDEX", "4"}}, out, scratch.path() / "outside");
  EXPECT_NE(outside.stderr_text.find("from 0 to 3"), std::string::npos) << outside.stderr_text;
  // A dataset whose run's point is invalid names the sweep entry, as the API would.
  const CompletedProcess invalid = run_dataset_worker(
      {{"JOB_ID", "ds-3"},
       {"JOB_PARAMS", R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100}},)"
                      R"( "sweep": {"temperature": [300, -5]}})"},
       {"RUN_INDEX", "1"}},
      out, scratch.path() / "invalid");
  EXPECT_EQ(invalid.exit_code, 64);
  EXPECT_TRUE(invalid.stderr_text.starts_with("params.sweep.temperature[1]: ")) << invalid.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace live2::worker::testing
