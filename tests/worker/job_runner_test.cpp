// run_simulation_job in-process with a tiny real simulation, a recording sink and a fake clock: publish order
// (results.h5 before its checkpoint, metadata.json last), the stop flag, falling back to a fresh start when the
// checkpoint cannot be used, resuming after a crash that left snapshots newer than the checkpoint, and the stop window
// (a final checkpoint only when it is expected to be published in time; results.h5 only when it holds something new).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <functional>

#include "h5_contents.h"
#include "support/temp_dir.h"
#include "worker/atomic_file.h"
#include "worker/job_runner.h"

namespace live2::worker {

using namespace live2::sim;
namespace {

using live2::testing::TempDir;

struct Publication {
  std::string name;
  bool final;
};

// Publishes nothing anywhere (the working directory is the destination) but remembers every call.
class RecordingSink final : public ArtifactSink {
 public:
  explicit RecordingSink(std::filesystem::path work_dir) : directory_(std::move(work_dir)) {}
  OutputStatus publish(const std::string& name, const std::filesystem::path& file, bool final) override {
    EXPECT_TRUE(std::filesystem::exists(file)) << name;
    publications.push_back({name, final});
    if (on_publish) on_publish(name);
    return {};
  }
  bool fetch(const std::string& name, const std::filesystem::path& destination) override {
    return directory_.fetch(name, destination);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (const Publication& p : publications) names.push_back(p.name);
    return names;
  }
  size_t count(const std::string& name, bool final) const {
    return static_cast<size_t>(std::count_if(publications.begin(), publications.end(), [&](const Publication& p) {
      return p.name == name && p.final == final;
    }));
  }
  std::vector<Publication> publications;
  std::function<void(const std::string&)> on_publish;  // called after each publication is recorded

 private:
  DirectorySink directory_;
};

JobRunOptions tiny_job(const std::filesystem::path& work_dir, int64_t snapshot_interval = 100) {
  const ParseOutcome parsed = parse_params(boost::json::parse(
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 60, "steps": 200, "seed": 3,
          "analysis_interval": 50, "snapshot_interval": )" +
      std::to_string(snapshot_interval) + "}}}"));
  EXPECT_TRUE(parsed.config.has_value());
  JobRunOptions options;
  options.config = *parsed.config;
  options.identity = RunIdentity{"job-1", "user-1", "", 1};
  options.threads = 1;
  options.work_dir = work_dir;
  return options;
}

size_t position_of(const std::vector<std::string>& names, const std::string& name) {
  return static_cast<size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

TEST(JobRunner, FinishedRunPublishesEveryArtifactFinallyAndMetadataLast) {
  TempDir dir("live2-job-runner");
  RecordingSink sink(dir.path());
  std::atomic<bool> stop{false};
  FakeClock clock;
  EXPECT_EQ(run_simulation_job(tiny_job(dir.path()), sink, stop, clock), WorkerExitCode::finished);
  ASSERT_FALSE(sink.publications.empty());
  EXPECT_EQ(sink.publications.back().name, "metadata.json");
  std::vector<std::string> final_names;
  for (const Publication& p : sink.publications) {
    if (p.final) final_names.push_back(p.name);
  }
  EXPECT_EQ(final_names,
            (std::vector<std::string>{"results.h5", "trajectory.extxyz", "checkpoint/state.bin", "metrics.csv",
                                      "species_counts.csv", "molecules.json", "reactions.json",
                                      "reaction_network.json", "reaction_network.graphml", "summary.json",
                                      "final.png", "progress.json", "simulation.log", "report.html",
                                      "README.txt", "metadata.json"}));
  EXPECT_LT(position_of(sink.names(), "progress.json"), position_of(sink.names(), "results.h5"))
      << "progress is published while running, before the end";
}

TEST(JobRunner, StopFlagGivesACheckpointAfterResultsAndNoMetadata) {
  TempDir dir("live2-job-runner");
  RecordingSink sink(dir.path());
  std::atomic<bool> stop{true};
  FakeClock clock;
  EXPECT_EQ(run_simulation_job(tiny_job(dir.path()), sink, stop, clock), WorkerExitCode::interrupted);
  const std::vector<std::string> names = sink.names();
  EXPECT_LT(position_of(names, "results.h5"), position_of(names, "checkpoint/state.bin"));
  EXPECT_EQ(position_of(names, "metadata.json"), names.size());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "metadata.json"));

  RecordingSink resumed_sink(dir.path());
  stop = false;
  EXPECT_EQ(run_simulation_job(tiny_job(dir.path()), resumed_sink, stop, clock), WorkerExitCode::finished);
  std::ifstream log(dir.path() / "simulation.log");
  const std::string text(std::istreambuf_iterator<char>(log), {});
  EXPECT_NE(text.find("resuming from the checkpoint at step 0"), std::string::npos);
}

TEST(JobRunner, PeriodicCheckpointsFollowTheClock) {
  TempDir dir("live2-job-runner");
  RecordingSink sink(dir.path());
  std::atomic<bool> stop{false};
  FakeClock clock;
  JobRunOptions options = tiny_job(dir.path());
  options.checkpoint_interval_seconds = 0;  // every analysis step is due
  EXPECT_EQ(run_simulation_job(options, sink, stop, clock), WorkerExitCode::finished);
  size_t non_final_checkpoints = 0;
  for (const Publication& p : sink.publications) non_final_checkpoints += p.name == "checkpoint/state.bin" && !p.final;
  EXPECT_EQ(non_final_checkpoints, 4u);  // analysis steps 0, 50, 100, 150; the last step's checkpoint is final
}

TEST(JobRunner, UnusableCheckpointMeansStartingOverWithAWarning) {
  TempDir dir("live2-job-runner");
  ASSERT_TRUE(write_file_atomically(dir.path() / "checkpoint" / "state.bin", "not a checkpoint").ok());
  RecordingSink sink(dir.path());
  std::atomic<bool> stop{false};
  FakeClock clock;
  EXPECT_EQ(run_simulation_job(tiny_job(dir.path()), sink, stop, clock), WorkerExitCode::finished);
  std::ifstream log(dir.path() / "simulation.log");
  const std::string text(std::istreambuf_iterator<char>(log), {});
  EXPECT_NE(text.find("the checkpoint cannot be used"), std::string::npos);
  std::ifstream summary_file(dir.path() / "summary.json");
  const boost::json::value summary = boost::json::parse(std::string(std::istreambuf_iterator<char>(summary_file), {}));
  EXPECT_EQ(summary.at("resumed_from_step").as_int64(), 0);
}

// Fails to publish progress.json once the run has reached `fail_from_step`, as a lost connection would.
class FailingProgressSink final : public ArtifactSink {
 public:
  FailingProgressSink(std::filesystem::path work_dir, int64_t fail_from_step)
      : directory_(std::move(work_dir)), fail_from_step_(fail_from_step) {}
  OutputStatus publish(const std::string& name, const std::filesystem::path& file, bool) override {
    if (name != "progress.json") return {};
    std::ifstream in(file);
    const boost::json::value progress = boost::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
    if (progress.at("step").as_int64() >= fail_from_step_) return OutputStatus::failure("connection lost");
    return {};
  }
  bool fetch(const std::string& name, const std::filesystem::path& destination) override {
    return directory_.fetch(name, destination);
  }

 private:
  DirectorySink directory_;
  int64_t fail_from_step_;
};

TEST(JobRunner, ResumeAfterACrashDropsSnapshotsNewerThanTheCheckpointAndMatchesAnUninterruptedRun) {
  TempDir dir("live2-job-runner");
  std::atomic<bool> stop{false};
  FakeClock clock;
  JobRunOptions options = tiny_job(dir.path() / "crashed", /*snapshot_interval=*/25);
  options.checkpoint_interval_seconds = 0;  // a checkpoint at every analysis step: 0, 50, 100, ...
  FailingProgressSink failing(options.work_dir, 80);
  EXPECT_EQ(run_simulation_job(options, failing, stop, clock), WorkerExitCode::failed);
  EXPECT_FALSE(std::filesystem::exists(options.work_dir / "metadata.json"));
  // Left behind: a checkpoint at step 50 and a results.h5 that already holds the snapshot of step 75.
  EXPECT_TRUE(testing::read_all_datasets(options.work_dir / "results.h5").count("/snapshots/0000000075/positions"));

  RecordingSink resumed_sink(options.work_dir);
  EXPECT_EQ(run_simulation_job(options, resumed_sink, stop, clock), WorkerExitCode::finished);
  std::ifstream log(options.work_dir / "simulation.log");
  const std::string text(std::istreambuf_iterator<char>(log), {});
  EXPECT_NE(text.find("resuming from the checkpoint at step 50"), std::string::npos);

  JobRunOptions uninterrupted = tiny_job(dir.path() / "uninterrupted", 25);
  RecordingSink sink(uninterrupted.work_dir);
  EXPECT_EQ(run_simulation_job(uninterrupted, sink, stop, clock), WorkerExitCode::finished);
  EXPECT_EQ(testing::read_all_datasets(options.work_dir / "results.h5"),
            testing::read_all_datasets(uninterrupted.work_dir / "results.h5"));
}

// Uploads of results.h5 and the checkpoint take `upload_us_per_byte` on the fake clock; SIGTERM arrives while the
// first checkpoint (step 0) is published.
struct StopDuringFirstCheckpoint {
  StopDuringFirstCheckpoint(std::filesystem::path dir, int64_t us_per_byte)
      : work_dir(std::move(dir)), upload_us_per_byte(us_per_byte) {}

  WorkerExitCode run() {
    sink.on_publish = [this](const std::string& name) {
      if (name != "results.h5" && name != "checkpoint/state.bin") return;
      clock.advance_ms(static_cast<int64_t>(std::filesystem::file_size(work_dir / name)) * upload_us_per_byte / 1000);
      if (name == "checkpoint/state.bin" && !stop) {
        stop = true;
        sigterm_ms = clock.monotonic_ms();
      }
    };
    JobRunOptions options = tiny_job(work_dir);
    options.checkpoint_interval_seconds = 0;  // step 0's analysis is due
    options.stop_window_seconds = 25;
    return run_simulation_job(options, sink, stop, clock);
  }

  std::filesystem::path work_dir;
  int64_t upload_us_per_byte;
  FakeClock clock;
  std::atomic<bool> stop{false};
  int64_t sigterm_ms = 0;
  RecordingSink sink{work_dir};
};

TEST(JobRunner, StopKeepsTheLastCheckpointWhenANewOneWouldOutlastTheStopWindow) {
  TempDir dir("live2-job-runner");
  StopDuringFirstCheckpoint slow(dir.path(), /*us_per_byte=*/10'000);  // a checkpoint of a few KB: over 25 s
  EXPECT_EQ(slow.run(), WorkerExitCode::interrupted);
  EXPECT_EQ(slow.sink.count("checkpoint/state.bin", false), 1u) << "only the periodic checkpoint of step 0";
  EXPECT_EQ(slow.clock.monotonic_ms(), slow.sigterm_ms) << "no upload of the state after SIGTERM";
  const std::vector<std::string> names = slow.sink.names();
  ASSERT_GE(names.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(names.end() - 3, names.end()),
            (std::vector<std::string>{"simulation.log", "report.html", "README.txt"}))
      << "the log, then what explains the run";
  std::ifstream log(dir.path() / "simulation.log");
  const std::string text(std::istreambuf_iterator<char>(log), {});
  EXPECT_NE(text.find("more than the 25 s stop window"), std::string::npos) << text;

  RecordingSink resumed(dir.path());
  std::atomic<bool> go{false};
  EXPECT_EQ(run_simulation_job(tiny_job(dir.path()), resumed, go, slow.clock), WorkerExitCode::finished);
  std::ifstream resumed_log(dir.path() / "simulation.log");
  const std::string resumed_text(std::istreambuf_iterator<char>(resumed_log), {});
  EXPECT_NE(resumed_text.find("resuming from the checkpoint at step 0"), std::string::npos);
}

TEST(JobRunner, StopWritesAFinalCheckpointWhenItFitsTheStopWindow) {
  TempDir dir("live2-job-runner");
  StopDuringFirstCheckpoint fast(dir.path(), /*us_per_byte=*/10);  // a few KB: well under a second
  EXPECT_EQ(fast.run(), WorkerExitCode::interrupted);
  EXPECT_EQ(fast.sink.count("checkpoint/state.bin", false), 2u) << "the periodic one and the final one";
  std::vector<std::string> names = fast.sink.names();
  std::reverse(names.begin(), names.end());
  EXPECT_GT(position_of(names, "checkpoint/state.bin"), position_of(names, "metrics.csv"))
      << "after SIGTERM the checkpoint goes out before the reports";
}

TEST(JobRunner, ResultsGoOutWithACheckpointOnlyAfterANewSnapshot) {
  TempDir dir("live2-job-runner");
  RecordingSink sink(dir.path());
  std::atomic<bool> stop{false};
  FakeClock clock;
  JobRunOptions options = tiny_job(dir.path(), /*snapshot_interval=*/100);
  options.checkpoint_interval_seconds = 0;  // checkpoints at 0, 50, 100, 150; snapshots at 0, 100, 200
  EXPECT_EQ(run_simulation_job(options, sink, stop, clock), WorkerExitCode::finished);
  EXPECT_EQ(sink.count("checkpoint/state.bin", false), 4u);
  EXPECT_EQ(sink.count("results.h5", false), 2u) << "with the checkpoints of steps 0 and 100 only";
}

}  // namespace
}  // namespace live2::worker
