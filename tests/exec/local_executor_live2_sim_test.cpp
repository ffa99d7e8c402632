// LocalExecutor running the real live2-sim worker: a job completes with the contract's artifacts, a cancel stops a
// running simulation within the grace, and stop + a new executor resumes from the checkpoint with never two workers
// for the job at once; a 2 x 2 x 2 dataset stopped midway and taken up by a new executor ends with every run
// completed, each run by one worker at a time and with its own seed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/dataset_plan.h"
#include "exec/executor_fixture.h"
#include "support/temp_dir.h"
#include "exec/local_executor.h"
#include "exec/overlap_checking_launcher.h"
#include "exec/posix_process_launcher.h"
#include "worker/simulation_params_validator.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string params(int num_particles, int steps) {
  return R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":)" +
         std::to_string(num_particles) + R"(,"steps":)" + std::to_string(steps) + "}}}";
}

class LocalExecutorLive2SimTest : public testing::ExecutorFixture {
 protected:
  std::unique_ptr<LocalExecutor> make_executor(int max_concurrent_jobs = 1) {
    LocalExecutorOptions options;
    options.worker_binary = LIVE2_SIM_BINARY;
    options.max_concurrent_jobs = max_concurrent_jobs;
    options.worker_threads = 1;
    options.cancel_grace_ms = 10'000;
    options.env = "test";
    options.poll_interval_ms = 50;
    return std::make_unique<LocalExecutor>(store_, store_, artifacts_, launcher_, clock_, options);
  }

  PosixProcessLauncher real_launcher_;
  testing::OverlapCheckingLauncher launcher_{real_launcher_};
};

TEST_F(LocalExecutorLive2SimTest, JobCompletesWithTheContractsArtifacts) {
  const Job submitted = submit(params(200, 1000));
  auto executor = make_executor();
  executor->start();
  const Job completed = wait_for_status(submitted.job_id, JobStatus::completed, 60s);
  ASSERT_EQ(completed.status, JobStatus::completed) << completed.error.value_or("");
  EXPECT_EQ(completed.progress, 100);

  auto listing = artifacts_.list(completed, 60);
  ASSERT_TRUE(listing.ok());
  std::vector<std::string> names;
  for (const Artifact& artifact : listing->artifacts) names.push_back(artifact.name);
  for (const char* name : {"checkpoint/state.bin", "metadata.json", "metrics.csv", "molecules.json", "progress.json",
                           "reactions.json", "results.h5", "simulation.log", "summary.json"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  const auto metadata = boost::json::parse(testing::read_whole_file(artifacts_.job_directory(completed) / "metadata.json"));
  EXPECT_EQ(metadata.at("job_id").as_string(), submitted.job_id);
  EXPECT_FALSE(executor->read_log_tail(completed, 5).value().empty());
}

TEST_F(LocalExecutorLive2SimTest, CancelStopsARunningSimulation) {
  const Job submitted = submit(params(400, 1'000'000));
  auto executor = make_executor();
  executor->start();
  const Job running = wait_for_job(submitted.job_id, [](const Job& job) { return job.progress > 0; }, 60s);
  ASSERT_EQ(running.status, JobStatus::running);
  const auto cancelled_at = std::chrono::steady_clock::now();
  request_cancel(submitted.job_id);
  executor->wake();
  const Job cancelled = wait_for_status(submitted.job_id, JobStatus::cancelled, 15s);
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_EQ(cancelled.executor.exit_code, 75) << "live2-sim checkpoints and exits 75 on SIGTERM";
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, 10s);
}

TEST_F(LocalExecutorLive2SimTest, StopAndRestartResumesFromTheCheckpoint) {
  const Job submitted = submit(params(300, 6000));
  auto executor = make_executor();
  executor->start();
  const Job halfway = wait_for_job(submitted.job_id, [](const Job& job) { return job.progress >= 15; }, 60s);
  ASSERT_EQ(halfway.status, JobStatus::running);
  executor->stop();
  const Job interrupted = job(submitted.job_id);
  ASSERT_EQ(interrupted.executor.exit_code, 75);
  ASSERT_EQ(interrupted.executor.submit_state, SubmitState::not_submitted);

  auto restarted = make_executor();
  restarted->start();
  const Job completed = wait_for_status(submitted.job_id, JobStatus::completed, 120s);
  ASSERT_EQ(completed.status, JobStatus::completed) << completed.error.value_or("");
  EXPECT_EQ(completed.executor.attempts, 2);
  EXPECT_GE(completed.progress, halfway.progress);
  EXPECT_NE(testing::read_whole_file(artifacts_.job_directory(completed) / "simulation.log").find("resuming from the checkpoint"),
            std::string::npos);
  EXPECT_EQ(launcher_.launches(submitted.job_id), 2);
  EXPECT_EQ(launcher_.peak_workers(submitted.job_id), 1);
}

TEST_F(LocalExecutorLive2SimTest, ADatasetStoppedMidwayEndsWithEveryRunCompletedOnce) {
  // The API's own expansion: the grid of two temperatures and two carbon fractions, two replicas each.
  const auto request = boost::json::parse(
      R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":200,"steps":2000}},)"
      R"("sweep":{"temperature":[300,450],"composition.C":[0.1,0.2]},"replicas":2})");
  const auto plan = plan_dataset(request, worker::SimulationParamsValidator(1), 100);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  OsRandomSource random;
  Job dataset;
  dataset.job_id = new_job_id(clock_.now_ms(), random);
  dataset.user_id = "user_1";
  dataset.job_type = std::string(kDatasetJobType);
  dataset.params_json = boost::json::serialize(request);
  dataset.created_at_ms = clock_.now_ms();
  dataset.request_fingerprint = sha256_hex(dataset.job_id);
  dataset.runs.total = dataset.runs.queued = static_cast<int64_t>(plan->runs.size());
  const std::vector<live2::Run> runs = queued_runs(*plan, dataset.job_id, clock_.now_ms());
  ASSERT_TRUE(store_.create_dataset(dataset, runs, JobQuota{}, clock_.now_ms()).ok());

  auto executor = make_executor(2);
  executor->start();
  const Job midway = wait_for_job(dataset.job_id, [](const Job& job) { return job.runs.completed >= 2; }, 60s);
  ASSERT_GE(midway.runs.completed, 2);
  executor->stop();
  auto restarted = make_executor(2);
  restarted->start();
  const Job completed = wait_for_status(dataset.job_id, JobStatus::completed, 120s);
  ASSERT_EQ(completed.status, JobStatus::completed) << completed.executor.status_reason.value_or("");
  EXPECT_EQ(completed.runs, (RunCounts{8, 0, 0, 8, 0, 0}));
  EXPECT_EQ(completed.progress, 100);

  for (const PlannedRun& planned : plan->runs) {
    const std::string key = run_key(dataset.job_id, planned.index);
    const fs::path out = artifacts_.job_directory(completed) / "runs" / std::to_string(planned.index);
    const auto metadata = boost::json::parse(testing::read_whole_file(out / "metadata.json"));
    EXPECT_EQ(metadata.at("job_id").as_string(), key);
    const auto summary = boost::json::parse(testing::read_whole_file(out / "summary.json"));
    EXPECT_EQ(summary.at("seed").to_number<uint64_t>(), planned.seed) << key;
    EXPECT_EQ(launcher_.peak_workers(key), 1) << key;
    EXPECT_LE(launcher_.launches(key), 2) << key;  // once, or once more to resume after the stop
  }
}

}  // namespace
}  // namespace live2
