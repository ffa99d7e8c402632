// Unit tests of the worker's output pieces, each on its own with real files in a temp dir and a fake clock.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>

#include "h5_contents.h"
#include "support/temp_dir.h"
#include "worker/artifact_sink.h"
#include "worker/atomic_file.h"
#include "worker/file_digest.h"
#include "worker/progress_tracker.h"
#include "worker/reaction_network.h"
#include "worker/report_files.h"
#include "worker/results_file.h"
#include "worker/worker_environment.h"

namespace live2::worker {

using namespace live2::sim;
namespace {

using live2::testing::TempDir;
using testing::read_all_datasets;
using testing::values_of;

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ProgressTracker, ReportsAtEveryPercentAndAfterTenSeconds) {
  FakeClock clock;
  ProgressTracker tracker(clock, 100, 1000, 0, 1, std::nullopt);
  EXPECT_EQ(tracker.next_percent_boundary(0), 10);
  EXPECT_EQ(tracker.next_percent_boundary(15), 20);
  EXPECT_EQ(tracker.next_percent_boundary(995), 1000);
  EXPECT_FALSE(tracker.report_due(5));
  EXPECT_TRUE(tracker.report_due(10));
  (void)tracker.report(10);
  EXPECT_FALSE(tracker.report_due(12));
  clock.advance_ms(10000);
  EXPECT_TRUE(tracker.report_due(12));
  EXPECT_TRUE(tracker.report_due(1000));
}

TEST(ProgressTracker, RateAndEtaFollowFromTheStepsThisAttemptComputed) {
  FakeClock clock;
  ProgressTracker tracker(clock, 1000, 10000, 2000, 3, 100.0);
  const ProgressReport initial = tracker.report(2000);
  ASSERT_TRUE(initial.eta_seconds);
  EXPECT_DOUBLE_EQ(*initial.eta_seconds, 80.0);  // the up-front estimate for the remaining 80 %
  clock.advance_ms(4000);
  const ProgressReport later = tracker.report(4000);
  EXPECT_DOUBLE_EQ(later.particle_steps_per_second, 1000.0 * 2000 / 4.0);
  EXPECT_DOUBLE_EQ(*later.eta_seconds, 12.0);  // 6000 steps left at 500 steps/s
  EXPECT_DOUBLE_EQ(later.progress, 0.4);
  const boost::json::object json = progress_json(later);
  EXPECT_EQ(json.at("attempt").as_int64(), 3);
  EXPECT_EQ(json.at("step").as_int64(), 4000);
  EXPECT_EQ(json.at("updated_at").as_string(),
            "2026-11-18T11:06:44.000Z");  // FakeClock's start + 4 s, as the API writes times
}

TEST(AtomicFile, ReplacesContentAndLeavesNoTemporaryFile) {
  TempDir dir("live2-worker-unit");
  const std::filesystem::path file = dir.path() / "nested" / "progress.json";
  ASSERT_TRUE(write_file_atomically(file, "first").ok());
  ASSERT_TRUE(write_file_atomically(file, "second").ok());
  EXPECT_EQ(read_text(file), "second");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "nested" / "progress.json.tmp"));
}

TEST(AtomicFile, FailedStreamLeavesTheOldFile) {
  TempDir dir("live2-worker-unit");
  const std::filesystem::path file = dir.path() / "state.bin";
  ASSERT_TRUE(write_file_atomically(file, "good").ok());
  const OutputStatus failed =
      write_file_atomically(file, [](std::ostream& out) { out.setstate(std::ios::failbit); });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(read_text(file), "good");
}

TEST(FileDigest, Sha256OfKnownContent) {
  TempDir dir("live2-worker-unit");
  ASSERT_TRUE(write_file_atomically(dir.path() / "abc", "abc").ok());
  EXPECT_EQ(sha256_hex_of_file(dir.path() / "abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex_of_file(dir.path() / "missing"), std::nullopt);
}

TEST(DirectorySink, CopiesIntoItsDirectoryAndFetchesBack) {
  TempDir dir("live2-worker-unit");
  const std::filesystem::path work = dir.path() / "work";
  DirectorySink sink(dir.path() / "published");
  ASSERT_TRUE(write_file_atomically(work / "checkpoint" / "state.bin", "state").ok());
  ASSERT_TRUE(sink.publish("checkpoint/state.bin", work / "checkpoint" / "state.bin", false).ok());
  EXPECT_EQ(read_text(dir.path() / "published" / "checkpoint" / "state.bin"), "state");
  EXPECT_TRUE(sink.fetch("checkpoint/state.bin", dir.path() / "restored.bin"));
  EXPECT_EQ(read_text(dir.path() / "restored.bin"), "state");
  EXPECT_FALSE(sink.fetch("results.h5", dir.path() / "results.h5"));
}

TEST(DirectorySink, PublishingFromItsOwnDirectoryIsANoOp) {
  TempDir dir("live2-worker-unit");
  DirectorySink sink(dir.path());
  ASSERT_TRUE(write_file_atomically(dir.path() / "summary.json", "{}").ok());
  EXPECT_TRUE(sink.publish("summary.json", dir.path() / "summary.json", true).ok());
  EXPECT_EQ(read_text(dir.path() / "summary.json"), "{}");
  EXPECT_TRUE(sink.fetch("summary.json", dir.path() / "summary.json"));
}

Snapshot tiny_snapshot(int64_t step) {
  Snapshot snapshot;
  snapshot.step = step;
  snapshot.time = step * 0.005;
  snapshot.positions = {1.0f, 2.0f, 3.0f, 4.0f};
  snapshot.velocities = {0.5f, -0.5f, 0.25f, -0.25f};
  snapshot.types = {0, 3};
  snapshot.bonds = {0, 1};
  snapshot.bond_orders = {2};
  snapshot.molecule_ids = {0, 0};
  return snapshot;
}

// A resumed run rebuilds its trajectory from the snapshots as read back: every field as written.
TEST(ResultsFile, ReadSnapshotGivesBackWhatWasWritten) {
  TempDir dir("live2-worker-unit");
  const std::filesystem::path path = dir.path() / "results.h5";
  OutputResult<ResultsFile> created = ResultsFile::create(path, ResultsRootAttributes{});
  ASSERT_TRUE(created.ok()) << created.message();
  const sim::Snapshot written = tiny_snapshot(200);
  ASSERT_TRUE(created.value().write_snapshot(written).ok());
  OutputResult<sim::Snapshot> read = created.value().read_snapshot(200);
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read.value().step, written.step);
  EXPECT_EQ(read.value().time, written.time);
  EXPECT_EQ(read.value().positions, written.positions);
  EXPECT_EQ(read.value().velocities, written.velocities);
  EXPECT_EQ(read.value().types, written.types);
  EXPECT_EQ(read.value().bonds, written.bonds);
  EXPECT_EQ(read.value().bond_orders, written.bond_orders);
  EXPECT_EQ(read.value().molecule_ids, written.molecule_ids);
  EXPECT_FALSE(created.value().read_snapshot(300).ok());
}

TEST(ResultsFile, ReopenForResumeDropsSnapshotsNewerThanTheCheckpoint) {
  TempDir dir("live2-worker-unit");
  const std::filesystem::path path = dir.path() / "results.h5";
  {
    OutputResult<ResultsFile> created = ResultsFile::create(path, ResultsRootAttributes{});
    ASSERT_TRUE(created.ok()) << created.message();
    for (int64_t step : {0, 100, 200, 300}) ASSERT_TRUE(created.value().write_snapshot(tiny_snapshot(step)).ok());
  }
  OutputResult<ResultsFile> reopened = ResultsFile::reopen_for_resume(path, 150);
  ASSERT_TRUE(reopened.ok()) << reopened.message();
  EXPECT_EQ(reopened.value().snapshot_steps(), (std::vector<int64_t>{0, 100}));
  ASSERT_TRUE(reopened.value().write_snapshot(tiny_snapshot(200)).ok());
  reopened.value().close();
  const auto datasets = read_all_datasets(path);
  EXPECT_EQ(values_of<uint32_t>(datasets.at("/snapshots/0000000200/bonds")), (std::vector<uint32_t>{0, 1}));
  EXPECT_FALSE(datasets.count("/snapshots/0000000300/positions"));
}

TEST(ResultsFile, ReopeningAFileThatIsNotHdf5Fails) {
  TempDir dir("live2-worker-unit");
  ASSERT_TRUE(write_file_atomically(dir.path() / "results.h5", "not hdf5").ok());
  EXPECT_FALSE(ResultsFile::reopen_for_resume(dir.path() / "results.h5", 0).ok());
}

TEST(ResultsFile, EmptyTablesAreZeroLengthDatasets) {
  TempDir dir("live2-worker-unit");
  const std::filesystem::path path = dir.path() / "results.h5";
  {
    OutputResult<ResultsFile> created = ResultsFile::create(path, ResultsRootAttributes{});
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(created.value().write_reactions({}).ok());
  }
  EXPECT_EQ(read_all_datasets(path).at("/reactions/equation").dims, std::vector<hsize_t>{0});
}

TEST(ReportFiles, MetricsCsvPrintsNumbersThatReadBackExactly) {
  MetricsRow row{100, 0.1, 301.25, 150.5, -1234.0625, 0.4375, 12, 5, 3, 1, 4, 7, 2};
  const std::string csv = metrics_csv_header() + metrics_csv_line(row);
  EXPECT_EQ(csv,
            "step,time,temperature,kinetic_energy,potential_energy,pressure,n_bonds,n_molecules,n_species,new_species,"
            "largest_molecule,bonds_formed,bonds_broken\n"
            "100,0.1,301.25,150.5,-1234.0625,0.4375,12,5,3,1,4,7,2\n");
}

TEST(ReportFiles, SummaryListsTheMostAbundantSpeciesFirst) {
  RunSummary summary;
  summary.species = {{"H2#a", "H2", 2, 1, 0, 3, 9}, {"H2O#b", "H2O", 3, 2, 100, 7, 7}, {"CH4#c", "CH4", 5, 4, 0, 3, 4}};
  summary.reactions = {{"H#1 + H#1 -> H2#2", "H + H -> H2", {"H#1", "H#1"}, {"H2#2"}, 5, 1, 10}};
  const boost::json::object json = summary_json(summary);
  const boost::json::array& top = json.at("top_species").as_array();
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].at("formula").as_string(), "H2O");
  EXPECT_EQ(top[1].at("formula").as_string(), "H2");  // same final_count as CH4, higher max_count
  EXPECT_EQ(json.at("species_count").as_uint64(), 3u);
  EXPECT_EQ(json.at("top_reactions").as_array()[0].at("equation").as_string(), "H#1 + H#1 -> H2#2");
  EXPECT_EQ(json.at("top_reactions").as_array()[0].at("formula_equation").as_string(), "H + H -> H2");
  EXPECT_EQ(json.at("top_reactions").as_array()[0].at("recrossings").as_int64(), 1);
  EXPECT_TRUE(json.at("final_metrics").is_null());
}

// The rate interval of a Poisson count: exact (Garwood) 95 % limits, known values from the chi-square table
// (n = 0: [0, 3.689]; n = 10: [4.795, 18.39]) divided by the duration.
TEST(ReactionNetwork, RateIntervalIsTheExactPoissonInterval) {
  const RateEstimate none = reaction_rate_per_ps(0, 2.0);
  EXPECT_EQ(none.rate, 0.0);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 3.6889 / 2.0, 1e-4);
  const RateEstimate ten = reaction_rate_per_ps(10, 2.0);
  EXPECT_DOUBLE_EQ(ten.rate, 5.0);
  EXPECT_NEAR(ten.low, 4.7954 / 2.0, 1e-4);
  EXPECT_NEAR(ten.high, 18.3904 / 2.0, 1e-4);
}

TEST(ReactionNetwork, GraphmlHasASpeciesNodePerKeyAndEdgesWithStoichiometry) {
  NetworkInput input;
  input.species = {{"H2#2", "H2", 2, 1, 0, 3, 9}};
  input.reactions = {{"H#1 + H#1 -> H2#2", "H + H -> H2", {"H#1", "H#1"}, {"H2#2"}, 5, 1, 10}};
  input.steps = 1000;
  input.dt = 0.005;
  const std::string graphml = reaction_network_graphml(input);
  EXPECT_NE(graphml.find("<node id=\"H#1\">"), std::string::npos) << graphml;
  EXPECT_NE(graphml.find("<node id=\"H2#2\">"), std::string::npos);
  EXPECT_NE(graphml.find("<data key=\"label\">H + H -&gt; H2</data>"), std::string::npos);
  EXPECT_NE(graphml.find("<edge source=\"H#1\" target=\"reaction:0\"><data key=\"role\">reactant</data>"
                         "<data key=\"stoichiometry\">2</data>"),
            std::string::npos);
  const boost::json::object json = reaction_network_json(input);
  EXPECT_DOUBLE_EQ(json.at("duration_ps").as_double(), 1000 * 0.005 * 0.08);
  EXPECT_EQ(json.at("species").as_array().size(), 2u);
  EXPECT_EQ(json.at("species").as_array()[0].at("seen_at_analysis").as_bool(), false);  // H#1, a lone atom
}

TEST(WorkerEnvironment, DefaultsFollowTheContract) {
  const WorkerEnvironment environment =
      read_worker_environment({{"JOB_ID", "j1"}, {"USER_ID", "u1"}, {"AWS_BATCH_JOB_ATTEMPT", "3"}});
  EXPECT_EQ(environment.env, "prod");
  EXPECT_EQ(environment.artifact_prefix, "prod/u1/j1/");
  EXPECT_EQ(environment.attempt, 3);
  EXPECT_FALSE(environment.job_params.has_value());
}

TEST(WorkerEnvironment, AttemptThatIsNotAPositiveNumberCountsAsTheFirst) {
  for (const char* text : {"0", "-2", "two", ""}) {
    const WorkerEnvironment environment = read_worker_environment({{"AWS_BATCH_JOB_ATTEMPT", text}});
    EXPECT_EQ(environment.attempt, 1) << text;
  }
}

TEST(WorkerEnvironment, WorkerThreadsComeFromTheEnvironmentAndNonsenseIsAProblem) {
  EXPECT_EQ(read_worker_environment({}).threads, 0);  // unset: live2-sim uses every hardware thread
  const WorkerEnvironment four = read_worker_environment({{"WORKER_THREADS", "4"}});
  EXPECT_EQ(four.threads, 4);
  EXPECT_TRUE(four.problems.empty());
  for (const char* text : {"0", "-1", "2.5", "many", "1025"}) {
    const WorkerEnvironment environment = read_worker_environment({{"WORKER_THREADS", text}});
    EXPECT_EQ(environment.threads, 0) << text;
    ASSERT_EQ(environment.problems.size(), 1u) << text;
    EXPECT_TRUE(environment.problems[0].starts_with("WORKER_THREADS: must be an integer between 1 and 1024"));
  }
}

TEST(WorkerEnvironment, ParamsComeFromTheFileThenTheEnvironmentThenTheSink) {
  TempDir dir("live2-worker-unit");
  DirectorySink sink(dir.path());
  WorkerEnvironment environment;
  EXPECT_FALSE(read_params_text(std::nullopt, environment, sink, dir.path() / "fetched.json").ok());
  ASSERT_TRUE(write_file_atomically(dir.path() / "params.json", "from-sink").ok());
  EXPECT_EQ(read_params_text(std::nullopt, environment, sink, dir.path() / "fetched.json").value(), "from-sink");
  environment.job_params = "from-env";
  EXPECT_EQ(read_params_text(std::nullopt, environment, sink, dir.path() / "fetched.json").value(), "from-env");
  ASSERT_TRUE(write_file_atomically(dir.path() / "given.json", "from-file").ok());
  EXPECT_EQ(read_params_text(dir.path() / "given.json", environment, sink, dir.path() / "fetched.json").value(),
            "from-file");
}

TEST(WorkerEnvironment, ValidationNamesFieldsFromTheJobRoot) {
  const ValidatedParams validated =
      validate_params_text(R"({"simulation_config": {"mode": "open_chemistry", "config": {"steps": 0}}})");
  EXPECT_FALSE(validated.config.has_value());
  ASSERT_EQ(validated.problems.size(), 1u);
  EXPECT_TRUE(validated.problems[0].starts_with("params.simulation_config.config.steps: "));
  EXPECT_TRUE(validate_params_text(R"({"simulation_config": {"mode": "open_chemistry"}})").config.has_value());
}

}  // namespace
}  // namespace live2::worker
