// LocalExecutor with real child processes (PosixProcessLauncher) running a worker program: by default the shell
// stand-in tests/exec/fake_worker.sh; the same scenarios run against the real live2-sim in
// local_executor_live2_sim_test.cpp. Covers completion, cancel, stop/restart resume and taking over a worker
// left by a dead server, and checks that one job never has two workers at once.
#include <gtest/gtest.h>

#include <sstream>

#include "core/status_machine.h"
#include "exec/executor_fixture.h"
#include "support/temp_dir.h"
#include "exec/local_executor.h"
#include "exec/posix_process_launcher.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::eventually;

std::vector<std::string> artifact_names(LocalArtifactStore& artifacts, const Job& job) {
  std::vector<std::string> names;
  const auto listing = artifacts.list(job, 60);
  for (const Artifact& artifact : listing.value().artifacts) names.push_back(artifact.name);
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class LocalExecutorProcessTest : public testing::ExecutorFixture {
 protected:
  LocalExecutorOptions options() const {
    LocalExecutorOptions result;
    result.worker_binary = LIVE2_FAKE_WORKER;
    result.max_concurrent_jobs = 2;
    result.worker_threads = 1;
    result.cancel_grace_ms = 3000;
    result.env = "test";
    result.poll_interval_ms = 50;
    return result;
  }

  std::unique_ptr<LocalExecutor> make_executor() {
    return std::make_unique<LocalExecutor>(store_, store_, artifacts_, launcher_, clock_, options());
  }

  // The fake worker's start/end records: attempts must never overlap.
  void expect_sequential_attempts(const Job& job, int expected_attempts) {
    std::istringstream records(testing::read_whole_file(artifacts_.job_directory(job) / ".attempts"));
    std::string line;
    std::vector<std::string> expected;
    for (int attempt = 1; attempt <= expected_attempts; ++attempt) {
      expected.push_back("start " + std::to_string(attempt));
      expected.push_back("end " + std::to_string(attempt));
    }
    std::vector<std::string> seen;
    while (std::getline(records, line)) seen.push_back(line);
    EXPECT_EQ(seen, expected);
  }

  PosixProcessLauncher launcher_;
};

TEST_F(LocalExecutorProcessTest, JobRunsToCompletedWithItsArtifacts) {
  const Job submitted = submit(R"({"steps": 10, "step_ms": 10})");
  auto executor = make_executor();
  executor->start();
  const Job completed = wait_for_status(submitted.job_id, JobStatus::completed);
  ASSERT_EQ(completed.status, JobStatus::completed) << completed.error.value_or("");
  EXPECT_EQ(completed.progress, 100);
  EXPECT_EQ(completed.executor.exit_code, 0);

  const auto names = artifact_names(artifacts_, completed);
  for (const char* name : {"checkpoint/state.bin", "metadata.json", "progress.json", "simulation.log"}) {
    EXPECT_TRUE(contains(names, name)) << name;
  }
  EXPECT_FALSE(contains(names, ".lock"));
  EXPECT_FALSE(contains(names, "stderr.log"));
  EXPECT_TRUE(fs::exists(temp_ / "run" / submitted.job_id / "stderr.log"));
  EXPECT_NE(executor->read_log_tail(completed, 1).value().find("finished"), std::string::npos);
}

TEST_F(LocalExecutorProcessTest, InvalidParametersFailWithTheWorkersMessage) {
  const Job submitted = submit(R"({"exit_code": 64})");
  auto executor = make_executor();
  executor->start();
  const Job failed = wait_for_status(submitted.job_id, JobStatus::failed);
  EXPECT_EQ(failed.error, "fake worker told to exit with 64");
}

TEST_F(LocalExecutorProcessTest, CancelStopsARunningWorkerWithinTheGrace) {
  const Job submitted = submit(R"({"steps": 100000, "step_ms": 10})");
  auto executor = make_executor();
  executor->start();
  const Job running = wait_for_job(submitted.job_id, [](const Job& job) { return job.progress > 0; });
  ASSERT_EQ(running.status, JobStatus::running);
  const int64_t pid = std::stoll(running.executor.external_id);

  const auto cancelled_at = std::chrono::steady_clock::now();
  request_cancel(submitted.job_id);
  executor->wake();
  const Job cancelled = wait_for_status(submitted.job_id, JobStatus::cancelled, 5s);
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, std::chrono::milliseconds(options().cancel_grace_ms));
  EXPECT_EQ(cancelled.executor.exit_code, 75);
  EXPECT_FALSE(launcher_.is_worker_of_job(pid, submitted.job_id));
}

TEST_F(LocalExecutorProcessTest, StopAndRestartResumesFromTheCheckpoint) {
  const Job submitted = submit(R"({"steps": 16, "step_ms": 10})");
  auto executor = make_executor();
  executor->start();
  wait_for_job(submitted.job_id, [](const Job& job) { return job.progress >= 25; });
  executor->stop();

  const Job interrupted = job(submitted.job_id);
  EXPECT_EQ(interrupted.executor.submit_state, SubmitState::not_submitted);
  EXPECT_EQ(interrupted.executor.exit_code, 75);
  const std::string checkpoint = testing::read_whole_file(artifacts_.job_directory(submitted) / "checkpoint" / "state.bin");
  ASSERT_FALSE(checkpoint.empty());

  auto restarted = make_executor();
  restarted->start();
  const Job completed = wait_for_status(submitted.job_id, JobStatus::completed);
  ASSERT_EQ(completed.status, JobStatus::completed) << completed.error.value_or("");
  EXPECT_EQ(completed.executor.attempts, 2);
  const std::string log = testing::read_whole_file(artifacts_.job_directory(submitted) / "simulation.log");
  const std::string resumed = "attempt 2 of job " + submitted.job_id + " starts at step ";
  const size_t at = log.find(resumed);
  ASSERT_NE(at, std::string::npos) << log;
  EXPECT_EQ(std::stoi(log.substr(at + resumed.size())), std::stoi(checkpoint));
  expect_sequential_attempts(submitted, 2);
}

TEST_F(LocalExecutorProcessTest, RestartWaitsForTheWorkerOfADeadServerThenResumes) {
  const Job submitted = submit(R"({"steps": 16, "step_ms": 10, "checkpoint_ms": 700})");
  // The "previous server": a thread that launches the worker, records it in the store, and ends (dies). Its end
  // sends the worker SIGTERM (death signal); the worker takes 0.7 s to checkpoint and exit.
  std::thread previous_server([&] {
    ProcessSpec spec;
    spec.executable = LIVE2_FAKE_WORKER;
    spec.arguments = {"run", "--out", artifacts_.job_directory(submitted).string(), "--threads", "1"};
    spec.environment = {{"JOB_ID", submitted.job_id}, {"JOB_PARAMS", submitted.params_json},
                        {"AWS_BATCH_JOB_ATTEMPT", "1"}};
    fs::create_directories(temp_ / "previous");
    spec.stdout_file = temp_ / "previous" / "stdout.log";
    spec.stderr_file = temp_ / "previous" / "stderr.log";
    fs::create_directories(artifacts_.job_directory(submitted));
    auto pid = launcher_.launch(spec);
    ASSERT_TRUE(pid.ok()) << pid.error().message;
    ASSERT_TRUE(store_.update_job(submitted.job_id, [&](Job& job) {
      job.executor.kind = "local";
      job.executor.submit_state = SubmitState::submitted;
      job.executor.external_id = std::to_string(*pid);
      job.executor.attempts = 1;
      return transition(job, JobStatus::running, clock_.now_ms()).ok();
    }).ok());
    EXPECT_TRUE(eventually([&] { return job(submitted.job_id).progress > 0 ||
                                        fs::exists(artifacts_.job_directory(submitted) / "progress.json"); }));
  });
  previous_server.join();
  const int64_t old_pid = std::stoll(job(submitted.job_id).executor.external_id);

  auto executor = make_executor();
  executor->start();
  const Job completed = wait_for_status(submitted.job_id, JobStatus::completed, 15s);
  ASSERT_EQ(completed.status, JobStatus::completed) << completed.error.value_or("");
  EXPECT_EQ(completed.executor.attempts, 2);
  expect_sequential_attempts(submitted, 2);
  // The old worker was our child in this test process; collect it.
  EXPECT_TRUE(launcher_.try_wait(old_pid).ok());
}

}  // namespace
}  // namespace live2
