// live2-sim combine's library (worker/dataset_*.h, replica_statistics.h, table_csv_reader.h) on real files: a
// dataset directory whose runs' artifacts are written here with known values, combined through a DirectorySink,
// and every output file read back (dataset.csv as text, dataset_summary.json as JSON, dataset.h5 through the HDF5 C
// API independently of the writer).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cmath>
#include <fstream>

#include "base/clock.h"
#include "core/dataset_plan.h"
#include "h5_contents.h"
#include "support/temp_dir.h"
#include "worker/artifact_sink.h"
#include "worker/atomic_file.h"
#include "worker/dataset_combiner.h"
#include "worker/replica_statistics.h"
#include "worker/report_files.h"
#include "worker/simulation_params_validator.h"
#include "worker/table_csv_reader.h"

namespace live2::worker {
namespace {

namespace json = boost::json;
using live2::testing::read_whole_file;
using live2::testing::TempDir;
using testing::read_all_datasets;
using testing::read_attributes;
using testing::strings_of;
using testing::values_of;

// Student's t two-sided 95 % quantiles as printed in statistics tables (e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.2),
// to the tables' three decimals.
TEST(ReplicaStatistics, TheQuantileIsTheTTablesValue) {
  EXPECT_NEAR(student_t_975(1), 12.706, 5e-4);
  EXPECT_NEAR(student_t_975(2), 4.303, 5e-4);
  EXPECT_NEAR(student_t_975(4), 2.776, 5e-4);
  EXPECT_NEAR(student_t_975(10), 2.228, 5e-4);
  EXPECT_NEAR(student_t_975(30), 2.042, 5e-4);
  EXPECT_NEAR(student_t_975(1000), 1.962, 5e-4);
}

// 1..5: mean 3, s = sqrt(2.5), half width t(0.975, 4) s / sqrt(5) = 2.776445 x 0.707107 = 1.963243.
TEST(ReplicaStatistics, KnownSamplesGiveTheTextbookInterval) {
  const ReplicaStatistics s = replica_statistics({1, 2, 3, 4, 5});
  EXPECT_EQ(s.n, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3.0);
  ASSERT_TRUE(s.stddev && s.ci95_low && s.ci95_high);
  EXPECT_NEAR(*s.stddev, std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(*s.ci95_low, 3.0 - 1.963243, 1e-6);
  EXPECT_NEAR(*s.ci95_high, 3.0 + 1.963243, 1e-6);
}

TEST(ReplicaStatistics, OneSampleHasNoSpreadAndNoneHasNoMean) {
  const ReplicaStatistics one = replica_statistics({7});
  EXPECT_EQ(one.n, 1);
  EXPECT_DOUBLE_EQ(one.mean, 7.0);
  EXPECT_FALSE(one.stddev || one.ci95_low || one.ci95_high);
  EXPECT_EQ(replica_statistics({}).n, 0);
  // Equal replicas: no spread, an interval of width zero.
  const ReplicaStatistics same = replica_statistics({4, 4, 4});
  ASSERT_TRUE(same.ci95_low && same.ci95_high);
  EXPECT_DOUBLE_EQ(*same.ci95_low, 4.0);
  EXPECT_DOUBLE_EQ(*same.ci95_high, 4.0);
}

TEST(TableCsvReader, ReadsBackWhatTheWorkerWrites) {
  sim::MetricsRow first{};
  first.step = 0;
  first.time = 0;
  first.temperature = 313.87721356574065;
  sim::MetricsRow second = first;
  second.step = 100;
  second.time = 0.5;
  second.potential_energy = -411.47221937075665;
  second.n_bonds = 48;
  const std::string text = metrics_csv_header() + metrics_csv_line(first) + metrics_csv_line(second);
  OutputResult<std::vector<sim::MetricsRow>> rows = parse_metrics_csv(text);
  ASSERT_TRUE(rows) << rows.message();
  ASSERT_EQ(rows.value().size(), 2u);
  EXPECT_EQ(rows.value()[1].step, 100);
  EXPECT_EQ(rows.value()[1].n_bonds, 48);
  EXPECT_EQ(rows.value()[0].temperature, 313.87721356574065);  // exact: the CSV prints shortest round-trip form
  EXPECT_EQ(rows.value()[1].potential_energy, -411.47221937075665);

  const std::vector<sim::SpeciesCountRecord> counts = {{100, 0.5, "H2O#de9233513b4bc848", 5}, {200, 1, "CH#01", 2}};
  OutputResult<std::vector<sim::SpeciesCountRecord>> read = parse_species_counts_csv(species_counts_csv(counts));
  ASSERT_TRUE(read) << read.message();
  ASSERT_EQ(read.value().size(), 2u);
  EXPECT_EQ(read.value()[0].key, "H2O#de9233513b4bc848");
  EXPECT_EQ(read.value()[1].count, 2);

  EXPECT_FALSE(parse_species_counts_csv("step,time,count\n1,2,3\n"));   // no key column
  EXPECT_FALSE(parse_species_counts_csv("step,time,key,count\n1,x,A#1,3\n"));  // a time that is no number
  EXPECT_FALSE(parse_species_counts_csv("step,time,key,count\n1,2,A#1\n"));   // a field short
}

// A dataset of 2 temperatures x 3 replicas = 6 runs (run index = point x 3 + replica).
constexpr const char* kDatasetParams =
    R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 200, "steps": 100}},
        "sweep": {"temperature": [300, 600]}, "replicas": 3})";

DatasetPlan plan_of(const std::string& params_text) {
  const SimulationParamsValidator validator(1);
  Result<DatasetPlan> plan = plan_dataset(json::parse(params_text), validator, kMaxDatasetRuns);
  EXPECT_TRUE(plan.ok());
  return *plan;
}

void write(const std::filesystem::path& file, const std::string& text) {
  ASSERT_TRUE(write_file_atomically(file, text).ok()) << file;
}

struct FakeRun {
  int64_t molecules, species, bonds;
  double runtime_s;
  std::string species_counts;  // the CSV's lines below its header
};

// The artifacts combine reads, as a completed run leaves them (metadata.json last).
void write_completed_run(const std::filesystem::path& dataset_dir, int64_t index, const FakeRun& run) {
  const std::filesystem::path dir = dataset_dir / "runs" / std::to_string(index);
  const json::object summary{
      {"runtime_seconds", run.runtime_s},
      {"final_metrics", {{"step", 100}, {"n_molecules", run.molecules}, {"n_species", run.species}, {"n_bonds", run.bonds}}}};
  write(dir / "summary.json", json::serialize(summary));
  write(dir / "species_counts.csv", "step,time,key,count\n" + run.species_counts);
  sim::MetricsRow row{};
  row.step = 100;
  row.n_molecules = run.molecules;
  write(dir / "metrics.csv", metrics_csv_header() + metrics_csv_line(row));
  write(dir / "metadata.json", R"({"status":"completed"})");
}

struct CombinedDataset {
  TempDir dir{"live2-combine"};
  DatasetPlan plan = plan_of(kDatasetParams);

  // Runs 0-3 completed; run 4 left nothing; run 5 was cancelled (dataset_runs.json says so).
  CombinedDataset() {
    write_completed_run(dir.path(), 0, {10, 4, 20, 1.5, "50,0.25,CHN#cc,1\n100,0.5,CH#bb,5\n100,0.5,H2O#aa,1\n"});
    write_completed_run(dir.path(), 1, {12, 5, 22, 2.5, "100,0.5,CH#bb,5\n100,0.5,H2O#aa,2\n"});
    write_completed_run(dir.path(), 2, {14, 6, 24, 3.5, "50,0.25,H2O#aa,3\n100,0.5,CH#bb,5\n100,0.5,H2O#aa,3\n"});
    write_completed_run(dir.path(), 3, {30, 9, 40, 4, "100,0.5,CH#bb,5\n100,0.5,H2O#aa,4\n"});
    write(dir / "dataset_runs.json",
          R"({"runs": [{"index": 4, "status": "failed", "error": "unstable at step 12"},
                       {"index": 5, "status": "cancelled", "error": null}]})");
  }

  OutputResult<CombineReport> combine() {
    DirectorySink sink(dir.path());
    CombineOptions options{&plan, RunIdentity{"ds-1", "user-1", "", 1}, dir.path()};
    FakeClock clock;
    return combine_dataset(options, sink, clock);
  }
};

TEST(DatasetCombine, WritesOneCsvRowPerRunWithTheRunsOutcomes) {
  CombinedDataset dataset;
  ASSERT_TRUE(dataset.combine().ok());
  const auto& seeds = dataset.plan.runs;
  const std::string expected =
      "run_index,temperature,seed,status,final_molecules,species,bonds,count_CH#bb,count_H2O#aa,first_step_H2O,"
      "first_step_CH4,first_step_NH3,first_step_H2,first_step_N2,first_step_CO2,first_step_HCN,first_step_H2CO,"
      "runtime_s\n"
      "0,300," + std::to_string(seeds[0].seed) + ",completed,10,4,20,5,1,100,,,,,,50,,1.5\n"
      "1,300," + std::to_string(seeds[1].seed) + ",completed,12,5,22,5,2,100,,,,,,,,2.5\n"
      "2,300," + std::to_string(seeds[2].seed) + ",completed,14,6,24,5,3,50,,,,,,,,3.5\n"
      "3,600," + std::to_string(seeds[3].seed) + ",completed,30,9,40,5,4,100,,,,,,,,4\n"
      "4,600," + std::to_string(seeds[4].seed) + ",failed,,,,,,,,,,,,,,\n"
      "5,600," + std::to_string(seeds[5].seed) + ",cancelled,,,,,,,,,,,,,,\n";
  EXPECT_EQ(read_whole_file(dataset.dir / "dataset.csv"), expected);
}

TEST(DatasetCombine, SummarisesEachSweepPointOverItsCompletedReplicas) {
  CombinedDataset dataset;
  ASSERT_TRUE(dataset.combine().ok());
  const json::object summary = json::parse(read_whole_file(dataset.dir / "dataset_summary.json")).as_object();
  EXPECT_EQ(summary.at("dataset_id"), "ds-1");
  EXPECT_EQ(summary.at("sweep_fields"), json::array{"temperature"});
  EXPECT_EQ(summary.at("replicas"), 3);
  EXPECT_EQ(summary.at("runs"), (json::object{{"total", 6}, {"completed", 4}, {"failed", 1}, {"cancelled", 1}}));
  const json::array& outcomes = summary.at("outcomes").as_array();
  EXPECT_EQ(outcomes.front(), (json::object{{"name", "final_molecules"}, {"unit", "1"}}));
  EXPECT_EQ(outcomes.back(), (json::object{{"name", "runtime_s"}, {"unit", "s"}}));

  const json::array& points = summary.at("points").as_array();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].at("sweep"), (json::object{{"temperature", 300}}));
  EXPECT_EQ(points[0].at("run_indices"), (json::array{0, 1, 2}));
  EXPECT_EQ(points[0].at("completed"), 3);
  // 10, 12, 14: mean 12, s = 2, half width t(0.975, 2) x 2 / sqrt(3) = 4.302653 x 1.154701 = 4.968275.
  const json::object& molecules = points[0].at("outcomes").at("final_molecules").as_object();
  EXPECT_EQ(molecules.at("n"), 3);
  EXPECT_DOUBLE_EQ(molecules.at("mean").to_number<double>(), 12.0);
  EXPECT_DOUBLE_EQ(molecules.at("stddev").to_number<double>(), 2.0);
  EXPECT_NEAR(molecules.at("ci95_low").to_number<double>(), 12.0 - 4.968275, 1e-6);
  EXPECT_NEAR(molecules.at("ci95_high").to_number<double>(), 12.0 + 4.968275, 1e-6);
  // HCN was seen in one replica only: the statistics are over the replicas that have a value.
  EXPECT_EQ(points[0].at("outcomes").at("first_step_HCN").at("n"), 1);
  EXPECT_EQ(points[0].at("outcomes").at("first_step_CH4"),
            (json::object{{"n", 0}, {"mean", nullptr}, {"stddev", nullptr}, {"ci95_low", nullptr}, {"ci95_high", nullptr}}));
  // The second point has one completed run: a mean, no spread.
  EXPECT_EQ(points[1].at("completed"), 1);
  EXPECT_EQ(points[1].at("outcomes").at("bonds"),
            (json::object{{"n", 1}, {"mean", 40}, {"stddev", nullptr}, {"ci95_low", nullptr}, {"ci95_high", nullptr}}));
}

TEST(DatasetCombine, WritesTheTableAndEachCompletedRunsSeriesToHdf5WithUnits) {
  CombinedDataset dataset;
  ASSERT_TRUE(dataset.combine().ok());
  const std::filesystem::path file = dataset.dir / "dataset.h5";
  const auto datasets = read_all_datasets(file);
  EXPECT_EQ(values_of<int64_t>(datasets.at("/runs/run_index")), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(values_of<double>(datasets.at("/runs/temperature")), (std::vector<double>{300, 300, 300, 600, 600, 600}));
  const std::vector<uint64_t> seeds = values_of<uint64_t>(datasets.at("/runs/seed"));
  ASSERT_EQ(seeds.size(), 6u);
  for (size_t i = 0; i < seeds.size(); ++i) EXPECT_EQ(seeds[i], dataset.plan.runs[i].seed);
  EXPECT_EQ(strings_of(datasets.at("/runs/status")),
            (std::vector<std::string>{"completed", "completed", "completed", "completed", "failed", "cancelled"}));
  const std::vector<double> molecules = values_of<double>(datasets.at("/runs/final_molecules"));
  ASSERT_EQ(molecules.size(), 6u);
  EXPECT_EQ(std::vector<double>(molecules.begin(), molecules.begin() + 4), (std::vector<double>{10, 12, 14, 30}));
  EXPECT_TRUE(std::isnan(molecules[4]) && std::isnan(molecules[5]));
  EXPECT_EQ(values_of<int64_t>(datasets.at("/run_3/metrics/n_molecules")), (std::vector<int64_t>{30}));
  EXPECT_EQ(strings_of(datasets.at("/run_0/species_counts/key")),
            (std::vector<std::string>{"CHN#cc", "CH#bb", "H2O#aa"}));
  EXPECT_FALSE(datasets.contains("/run_4/metrics/step"));
  EXPECT_EQ(read_attributes(file, "/runs/temperature").at("units").text, "K");
  EXPECT_EQ(read_attributes(file, "/runs/runtime_s").at("units").text, "s");
  EXPECT_EQ(read_attributes(file, "/runs/final_molecules").at("units").text, "1");
  EXPECT_EQ(read_attributes(file, "/run_0/metrics/time").at("units").text, "0.08 ps");
  for (const auto& [path, content] : datasets) {
    EXPECT_TRUE(read_attributes(file, path).contains("units")) << path;
  }
  EXPECT_EQ(read_attributes(file, "/").at("dataset_id").text, "ds-1");
}

TEST(DatasetCombine, MetadataComesLastAndListsTheThreeFiles) {
  CombinedDataset dataset;
  ASSERT_TRUE(dataset.combine().ok());
  const json::object metadata = json::parse(read_whole_file(dataset.dir / "metadata.json")).as_object();
  EXPECT_EQ(metadata.at("job_id"), "ds-1");
  EXPECT_EQ(metadata.at("status"), "completed");
  std::vector<std::string> names;
  for (const json::value& artifact : metadata.at("artifacts").as_array()) {
    names.emplace_back(artifact.at("name").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"dataset.csv", "dataset.h5", "dataset_summary.json"}));
}

TEST(DatasetCombine, RunningAgainGivesTheSameFiles) {
  CombinedDataset dataset;
  ASSERT_TRUE(dataset.combine().ok());
  const std::string csv = read_whole_file(dataset.dir / "dataset.csv");
  const std::string summary = read_whole_file(dataset.dir / "dataset_summary.json");
  const auto h5 = read_all_datasets(dataset.dir / "dataset.h5");
  ASSERT_TRUE(dataset.combine().ok());
  EXPECT_EQ(read_whole_file(dataset.dir / "dataset.csv"), csv);
  EXPECT_EQ(read_whole_file(dataset.dir / "dataset_summary.json"), summary);
  EXPECT_EQ(read_all_datasets(dataset.dir / "dataset.h5"), h5);
  EXPECT_FALSE(std::filesystem::exists(dataset.dir / "dataset.h5.tmp"));
}

// A run that says it completed but whose summary is gone is a failed row saying why; the others still combine.
TEST(DatasetCombine, ADamagedRunBecomesAFailedRow) {
  CombinedDataset dataset;
  std::filesystem::remove(dataset.dir / "runs/1/summary.json");
  OutputResult<CombineReport> report = dataset.combine();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().damaged, std::vector<std::string>{"run 1: runs/1/summary.json is missing"});
  EXPECT_EQ(report.value().completed, 3);
  EXPECT_EQ(report.value().runs, 6);
  const std::string csv = read_whole_file(dataset.dir / "dataset.csv");
  EXPECT_NE(csv.find("\n1,300," + std::to_string(dataset.plan.runs[1].seed) + ",failed,,"), std::string::npos) << csv;
  const json::object summary = json::parse(read_whole_file(dataset.dir / "dataset_summary.json")).as_object();
  EXPECT_EQ(summary.at("points").at(0).at("outcomes").at("final_molecules").at("mean"), 12);  // (10 + 14) / 2
}

TEST(DatasetCombine, AMalformedRunListIsAnError) {
  CombinedDataset dataset;
  write(dataset.dir / "dataset_runs.json", R"({"runs": [{"index": 4, "status": "lost"}]})");
  const OutputResult<CombineReport> report = dataset.combine();
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.message().find("dataset_runs.json"), std::string::npos) << report.message();
  EXPECT_FALSE(std::filesystem::exists(dataset.dir / "metadata.json"));
}

}  // namespace
}  // namespace live2::worker
