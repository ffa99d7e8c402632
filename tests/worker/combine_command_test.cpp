// `live2-sim combine` as a process: real runs of a small dataset made by `live2-sim run`, combined by the binary,
// whose rows must be those runs' own summaries; and the command line's refusals (exit 64, nothing written).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/dataset_plan.h"
#include "worker/simulation_params_validator.h"
#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

namespace json = boost::json;

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(std::move(fields));
  }
  return rows;
}

TEST(CombineCommand, CombinesRealRunsIntoRowsThatAreTheirSummaries) {
  TempDir scratch("live2-combine-cmd");
  const std::filesystem::path dataset_dir = scratch / "dataset";
  const std::string params_text =
      R"({"simulation_config": {"mode": "open_chemistry",
                                "config": {"num_particles": 200, "steps": 200, "snapshot_interval": 200}},
          "sweep": {"composition.C": [0.1, 0.3]}, "replicas": 2})";
  const SimulationParamsValidator validator(1);
  Result<DatasetPlan> plan = plan_dataset(json::parse(params_text), validator, kMaxDatasetRuns);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->runs.size(), 4u);
  // Run 3 is left out: it failed (no metadata.json).
  for (int64_t i = 0; i < 3; ++i) {
    const CompletedProcess run = run_worker_with_params_file(
        plan->runs[i].params_json, dataset_dir / "runs" / std::to_string(i), scratch / ("run" + std::to_string(i)), 1);
    ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  }
  const std::filesystem::path params_file = scratch / "dataset_params.json";
  std::ofstream(params_file) << params_text;
  const CompletedProcess combine =
      run_process({worker_binary(), "combine", "--params", params_file.string(), "--out", dataset_dir.string()},
                  {{"JOB_ID", "ds-cmd"}}, scratch.path());
  ASSERT_EQ(combine.exit_code, 0) << combine.stderr_text;

  const auto rows = csv_rows(read_file_text(dataset_dir / "dataset.csv"));
  ASSERT_EQ(rows.size(), 5u);
  const std::vector<std::string>& header = rows[0];
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  ASSERT_LT(column("composition.C"), header.size());
  for (int64_t i = 0; i < 3; ++i) {
    const std::vector<std::string>& row = rows[static_cast<size_t>(i) + 1];
    const json::value summary = json::parse(read_file_text(dataset_dir / "runs" / std::to_string(i) / "summary.json"));
    const json::value& final_metrics = summary.at("final_metrics");
    EXPECT_EQ(row[column("run_index")], std::to_string(i));
    EXPECT_EQ(row[column("seed")], std::to_string(plan->runs[static_cast<size_t>(i)].seed));
    EXPECT_EQ(row[column("seed")], json::serialize(summary.at("seed")));
    EXPECT_EQ(row[column("status")], "completed");
    EXPECT_EQ(row[column("final_molecules")], json::serialize(final_metrics.at("n_molecules")));
    EXPECT_EQ(row[column("species")], json::serialize(final_metrics.at("n_species")));
    EXPECT_EQ(row[column("bonds")], json::serialize(final_metrics.at("n_bonds")));
    EXPECT_EQ(row[column("composition.C")], i < 2 ? "0.1" : "0.3");
    // The run's wall time in whole milliseconds, as a reader expects it (not 0.07600000000093132).
    const std::string runtime = row[column("runtime_s")];
    EXPECT_DOUBLE_EQ(std::stod(runtime), summary.at("runtime_seconds").to_number<double>());
    const size_t dot = runtime.find('.');
    EXPECT_LE(dot == std::string::npos ? 0 : runtime.size() - dot - 1, 3u) << runtime;
  }
  EXPECT_EQ(rows[4][column("status")], "failed");
  EXPECT_EQ(rows[4][column("final_molecules")], "");

  const json::value summary = json::parse(read_file_text(dataset_dir / "dataset_summary.json"));
  EXPECT_EQ(summary.at("runs"), (json::object{{"total", 4}, {"completed", 3}, {"failed", 1}, {"cancelled", 0}}));
  const double mean = summary.at("points").at(0).at("outcomes").at("final_molecules").at("mean").to_number<double>();
  EXPECT_DOUBLE_EQ(mean, (std::stod(rows[1][column("final_molecules")]) + std::stod(rows[2][column("final_molecules")])) / 2);
  EXPECT_TRUE(std::filesystem::exists(dataset_dir / "dataset.h5"));
  EXPECT_TRUE(std::filesystem::exists(dataset_dir / "metadata.json"));
}

TEST(CombineCommand, ParamsThatAreNoDatasetsAreExit64AndWriteNothing) {
  TempDir scratch("live2-combine-cmd");
  const std::filesystem::path out = scratch / "dataset";
  const std::filesystem::path params_file = scratch / "params.json";
  std::ofstream(params_file) << R"({"simulation_config": {"mode": "open_chemistry", "config": {}},
                                    "sweep": {"seed": [1, 2]}})";
  const CompletedProcess combine = run_process(
      {worker_binary(), "combine", "--params", params_file.string(), "--out", out.string()}, {}, scratch.path());
  EXPECT_EQ(combine.exit_code, 64);
  EXPECT_NE(combine.stderr_text.find("params.sweep.seed"), std::string::npos) << combine.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(out));

  const CompletedProcess unknown = run_process({worker_binary(), "combine", "--bogus"}, {}, scratch.path());
  EXPECT_EQ(unknown.exit_code, 64);
}

}  // namespace
}  // namespace live2::worker::testing
