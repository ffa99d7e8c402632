// LocalExecutor against a fake process launcher and a real SQLite store: claims, limits, exit codes, cancels,
// progress, stop and restart recovery, without real processes.
#include "exec/local_executor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <fstream>

#include "core/status_machine.h"
#include "exec/executor_fixture.h"
#include "exec/fake_process_launcher.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::env_value;
using testing::eventually;
using testing::write_file;

class LocalExecutorTest : public testing::ExecutorFixture {
 protected:
  LocalExecutorOptions options(int max_concurrent_jobs = 2) const {
    LocalExecutorOptions result;
    result.worker_binary = "/opt/live2/live2-sim";
    result.max_concurrent_jobs = max_concurrent_jobs;
    result.worker_threads = 3;
    result.cancel_grace_ms = 200;
    result.env = "test";
    result.poll_interval_ms = 20;
    return result;
  }

  std::unique_ptr<LocalExecutor> make_executor(const LocalExecutorOptions& executor_options) {
    return std::make_unique<LocalExecutor>(store_, store_, artifacts_, launcher_, clock_, executor_options);
  }

  // Waits for the n-th launch and returns its pid.
  int64_t wait_for_launch(size_t count) {
    EXPECT_TRUE(eventually([&] { return launcher_.launched().size() >= count; })) << "launch " << count;
    auto launched = launcher_.launched();
    return launched.size() >= count ? launched[count - 1] : -1;
  }

  void finish_successfully(const Job& job, int64_t pid) {
    write_file(artifacts_.job_directory(job) / "metadata.json", "{}");
    launcher_.finish(pid, ProcessExit{0, std::nullopt});
  }

  testing::FakeProcessLauncher launcher_;
};

TEST_F(LocalExecutorTest, ClaimsAQueuedJobAndStartsTheWorkerPerContract) {
  const Job submitted = submit();
  auto executor = make_executor(options());
  executor->start();
  const int64_t pid = wait_for_launch(1);
  const Job running = wait_for_status(submitted.job_id, JobStatus::running);

  EXPECT_EQ(running.executor.kind, "local");
  EXPECT_EQ(running.executor.submit_state, SubmitState::submitted);
  EXPECT_EQ(running.executor.external_id, std::to_string(pid));
  EXPECT_EQ(running.executor.attempts, 1);
  EXPECT_TRUE(running.started_at_ms.has_value());

  const ProcessSpec spec = launcher_.spec(pid);
  const fs::path job_directory = artifacts_.job_directory(submitted);
  EXPECT_EQ(spec.executable, "/opt/live2/live2-sim");
  EXPECT_EQ(spec.arguments, (std::vector<std::string>{"run", "--out", job_directory.string(), "--threads", "3"}));
  EXPECT_EQ(env_value(spec, "JOB_ID"), submitted.job_id);
  EXPECT_EQ(env_value(spec, "USER_ID"), "user_1");
  EXPECT_EQ(env_value(spec, "JOB_PARAMS"), submitted.params_json);
  EXPECT_EQ(env_value(spec, "ENV"), "test");
  EXPECT_EQ(env_value(spec, "ARTIFACT_PREFIX"), "test/user_1/" + submitted.job_id + "/");
  EXPECT_EQ(env_value(spec, "AWS_BATCH_JOB_ATTEMPT"), "1");
  EXPECT_NE(std::find(spec.unset_environment.begin(), spec.unset_environment.end(), "S3_BUCKET"),
            spec.unset_environment.end());
  EXPECT_TRUE(fs::is_directory(job_directory));
  // Worker output stays out of the artifacts.
  EXPECT_EQ(spec.stderr_file, temp_ / "run" / submitted.job_id / "stderr.log");
  EXPECT_EQ(spec.stdout_file, temp_ / "run" / submitted.job_id / "stdout.log");
}

TEST_F(LocalExecutorTest, WorkerGetsAbsolutePathsWhenTheDataDirIsRelative) {
  // `live2 serve --data-dir ./data`: the worker runs in its run directory, so relative paths would point elsewhere.
  LocalArtifactStore relative_artifacts(fs::relative(temp_ / "relative-artifacts"), "test", "http://127.0.0.1:1",
                                        "secret", clock_);
  LocalExecutorOptions relative_options = options();
  relative_options.run_directory = fs::relative(temp_ / "relative-run");
  ASSERT_TRUE(relative_artifacts.job_directory(submit()).is_relative());
  LocalExecutor executor(store_, store_, relative_artifacts, launcher_, clock_, relative_options);
  executor.start();
  const ProcessSpec spec = launcher_.spec(wait_for_launch(1));
  ASSERT_EQ(spec.arguments.at(1), "--out");
  const fs::path out = spec.arguments.at(2);
  EXPECT_TRUE(out.is_absolute()) << out;
  // {root}/{env}/{user}/{job}: three levels below the artifact root.
  EXPECT_EQ(fs::weakly_canonical(out).parent_path().parent_path().parent_path(),
            fs::weakly_canonical(temp_ / "relative-artifacts"));
  EXPECT_TRUE(spec.working_directory.is_absolute()) << spec.working_directory;
  executor.stop();
}

TEST_F(LocalExecutorTest, HugeParamsGoToTheWorkerAsAFile) {
  const std::string params = R"({"simulation_config":{"mode":"open_chemistry"},"padding":")" +
                             std::string(100 * 1024, 'x') + R"("})";
  const Job submitted = submit(params);
  auto executor = make_executor(options());
  executor->start();
  const ProcessSpec spec = launcher_.spec(wait_for_launch(1));
  const fs::path params_file = temp_ / "run" / submitted.job_id / "params.json";
  ASSERT_EQ(spec.arguments.size(), 7u);
  EXPECT_EQ(spec.arguments[5], "--params");
  EXPECT_EQ(spec.arguments[6], params_file.string());
  EXPECT_EQ(env_value(spec, "JOB_PARAMS"), "<unset>");
  std::ifstream in(params_file);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()), params);
}

TEST_F(LocalExecutorTest, NeverRunsMoreThanTheConcurrencyLimit) {
  std::vector<Job> jobs;
  for (int i = 0; i < 5; ++i) jobs.push_back(submit());
  // Oldest first means the smallest id: ids order by creation time to the millisecond, and jobs submitted within
  // one millisecond by their random part.
  std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.job_id < b.job_id; });
  auto executor = make_executor(options(2));
  executor->start();
  const int64_t first = wait_for_launch(2) - 1;
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(launcher_.launched().size(), 2u);
  EXPECT_EQ(env_value(launcher_.spec(first), "JOB_ID"), jobs[0].job_id);

  finish_successfully(jobs[0], first);
  executor->wake();
  wait_for_launch(3);
  EXPECT_EQ(wait_for_status(jobs[0].job_id, JobStatus::completed).status, JobStatus::completed);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(launcher_.launched().size(), 3u);
  EXPECT_LE(launcher_.peak_running(), 2);
}

TEST_F(LocalExecutorTest, MapsWorkerExitsToJobOutcomes) {
  auto executor = make_executor(options(8));
  const Job completes = submit();
  const Job no_metadata = submit();
  const Job invalid = submit();
  const Job crashes = submit();
  const Job segfaults = submit();
  executor->start();
  wait_for_launch(5);
  auto pid_of = [&](const Job& job) {
    for (int64_t pid : launcher_.launched()) {
      if (env_value(launcher_.spec(pid), "JOB_ID") == job.job_id) return pid;
    }
    return int64_t{-1};
  };
  write_file(temp_ / "run" / invalid.job_id / "stderr.log", "config.steps: must be at least 1\n");
  write_file(temp_ / "run" / crashes.job_id / "stderr.log",
             "2026-12-05T10:00:00Z info parameters: {\"simulation_config\":{}}\nlive2-sim: HDF5 error: disk full\n");

  finish_successfully(completes, pid_of(completes));
  launcher_.finish(pid_of(no_metadata), ProcessExit{0, std::nullopt});
  launcher_.finish(pid_of(invalid), ProcessExit{64, std::nullopt});
  launcher_.finish(pid_of(crashes), ProcessExit{1, std::nullopt});
  launcher_.finish(pid_of(segfaults), ProcessExit{std::nullopt, SIGSEGV});

  const Job completed = wait_for_status(completes.job_id, JobStatus::completed);
  EXPECT_EQ(completed.status, JobStatus::completed);
  EXPECT_EQ(completed.progress, 100);
  EXPECT_EQ(completed.executor.exit_code, 0);

  const Job failed_without_metadata = wait_for_status(no_metadata.job_id, JobStatus::failed);
  EXPECT_EQ(failed_without_metadata.error, "the worker exited with code 0 without writing metadata.json");

  const Job failed_invalid = wait_for_status(invalid.job_id, JobStatus::failed);
  EXPECT_EQ(failed_invalid.error, "config.steps: must be at least 1");
  EXPECT_EQ(failed_invalid.executor.exit_code, 64);

  const Job failed_crash = wait_for_status(crashes.job_id, JobStatus::failed);
  EXPECT_EQ(failed_crash.error, "HDF5 error: disk full");  // the worker's reason line, not its log
  EXPECT_EQ(failed_crash.executor.status_reason, "HDF5 error: disk full");

  const Job failed_signal = wait_for_status(segfaults.job_id, JobStatus::failed);
  EXPECT_EQ(failed_signal.error, "the worker was killed by signal 11 (SIGSEGV)");
}

TEST_F(LocalExecutorTest, InterruptedWorkerIsRequeuedAndResumedAsTheNextAttempt) {
  const Job submitted = submit();
  auto executor = make_executor(options());
  executor->start();
  const int64_t first = wait_for_launch(1);
  wait_for_status(submitted.job_id, JobStatus::running);
  launcher_.finish(first, ProcessExit{75, std::nullopt});
  const int64_t second = wait_for_launch(2);
  EXPECT_EQ(env_value(launcher_.spec(second), "AWS_BATCH_JOB_ATTEMPT"), "2");
  const Job resumed = wait_for_job(submitted.job_id, [](const Job& job) { return job.executor.attempts == 2; });
  EXPECT_EQ(resumed.status, JobStatus::running);
  EXPECT_EQ(resumed.executor.submit_state, SubmitState::submitted);
}

TEST_F(LocalExecutorTest, CancelBeforeStartCancelsWithoutAWorker) {
  const Job submitted = submit();
  request_cancel(submitted.job_id);
  auto executor = make_executor(options());
  executor->start();
  const Job cancelled = wait_for_status(submitted.job_id, JobStatus::cancelled);
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_TRUE(cancelled.cancelled_at_ms.has_value());
  EXPECT_TRUE(launcher_.launched().empty());
}

TEST_F(LocalExecutorTest, CancelOfARunningJobStopsTheWorker) {
  const Job submitted = submit();
  auto executor = make_executor(options());
  executor->start();
  const int64_t pid = wait_for_launch(1);
  wait_for_status(submitted.job_id, JobStatus::running);
  request_cancel(submitted.job_id);
  executor->wake();
  const Job cancelled = wait_for_status(submitted.job_id, JobStatus::cancelled);
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_EQ(cancelled.executor.exit_code, 75);
  EXPECT_EQ(launcher_.signals(pid), std::vector<int>{SIGTERM});
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(launcher_.launched().size(), 1u) << "a cancelled job is not resumed";
}

TEST_F(LocalExecutorTest, WorkerIgnoringSigtermIsKilledAfterTheGrace) {
  launcher_.set_ignore_sigterm(true);
  const Job submitted = submit();
  auto executor = make_executor(options());
  executor->start();
  const int64_t pid = wait_for_launch(1);
  wait_for_status(submitted.job_id, JobStatus::running);
  const auto cancelled_at = std::chrono::steady_clock::now();
  request_cancel(submitted.job_id);
  executor->wake();
  const Job cancelled = wait_for_status(submitted.job_id, JobStatus::cancelled);
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_GE(std::chrono::steady_clock::now() - cancelled_at, 200ms);
  EXPECT_EQ(launcher_.signals(pid), (std::vector<int>{SIGTERM, SIGKILL}));
}

TEST_F(LocalExecutorTest, ProgressAndEtaComeFromProgressJsonAndNeverGoBack) {
  const Job submitted = submit();
  auto executor = make_executor(options());
  executor->start();
  wait_for_launch(1);
  const fs::path progress_file = artifacts_.job_directory(submitted) / "progress.json";

  write_file(progress_file, R"({"step": 400, "steps": 1000, "progress": 0.4, "eta_seconds": 60})");
  Job seen = wait_for_job(submitted.job_id, [](const Job& job) { return job.progress == 40; });
  EXPECT_EQ(seen.progress, 40);
  EXPECT_EQ(seen.eta_seconds, 60);

  write_file(progress_file, R"({"step": 200, "steps": 1000, "progress": 0.2, "eta_seconds": 90})");
  seen = wait_for_job(submitted.job_id, [](const Job& job) { return job.eta_seconds == 90; });
  EXPECT_EQ(seen.progress, 40);

  write_file(progress_file, R"({"step": 700, "steps": 1000, "progress": 0.7, "eta_seconds": 20})");
  seen = wait_for_job(submitted.job_id, [](const Job& job) { return job.progress == 70; });
  EXPECT_EQ(seen.progress, 70);
  EXPECT_EQ(seen.eta_seconds, 20);
}

TEST_F(LocalExecutorTest, StopInterruptsWorkersAndANewExecutorResumesThem) {
  const Job submitted = submit();
  auto executor = make_executor(options());
  executor->start();
  const int64_t first = wait_for_launch(1);
  wait_for_status(submitted.job_id, JobStatus::running);
  executor->stop();

  EXPECT_EQ(launcher_.signals(first), std::vector<int>{SIGTERM});
  const Job requeued = job(submitted.job_id);
  EXPECT_EQ(requeued.status, JobStatus::running);
  EXPECT_EQ(requeued.executor.submit_state, SubmitState::not_submitted);
  EXPECT_EQ(requeued.executor.attempts, 1);
  EXPECT_EQ(launcher_.running_count(), 0);

  auto restarted = make_executor(options());
  restarted->start();
  const int64_t second = wait_for_launch(2);
  EXPECT_EQ(env_value(launcher_.spec(second), "AWS_BATCH_JOB_ATTEMPT"), "2");
  finish_successfully(submitted, second);
  EXPECT_EQ(wait_for_status(submitted.job_id, JobStatus::completed).status, JobStatus::completed);
}

// A job handed over by a previous server: its worker may still run (checkpointing after the server died).
void hand_over(JobStore& store, const std::string& job_id, const std::string& pid) {
  auto updated = store.update_job(job_id, [&](Job& job) {
    job.executor.kind = "local";
    job.executor.submit_state = SubmitState::submitted;
    job.executor.external_id = pid;
    job.executor.attempts = 1;
    return transition(job, JobStatus::running, 1).ok();
  });
  ASSERT_TRUE(updated.ok());
}

TEST_F(LocalExecutorTest, RestartWaitsForAStillLivingWorkerBeforeResuming) {
  const Job submitted = submit();
  hand_over(store_, submitted.job_id, "4242");
  launcher_.add_foreign_worker(4242, submitted.job_id);
  auto executor = make_executor(options());
  executor->start();
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(launcher_.launched().empty()) << "a second worker beside the living one";
  EXPECT_EQ(job(submitted.job_id).executor.submit_state, SubmitState::submitted);

  launcher_.end_foreign_worker(4242);
  const int64_t resumed = wait_for_launch(1);
  EXPECT_EQ(env_value(launcher_.spec(resumed), "AWS_BATCH_JOB_ATTEMPT"), "2");
}

TEST_F(LocalExecutorTest, RestartFindsTheWorkerOfAJobLeftSubmitting) {
  const Job submitted = submit();
  ASSERT_TRUE(store_.update_job(submitted.job_id, [](Job& job) {
    job.executor.kind = "local";
    job.executor.submit_state = SubmitState::submitting;
    return true;
  }).ok());
  launcher_.add_foreign_worker(777, submitted.job_id);
  auto executor = make_executor(options());
  executor->start();
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(launcher_.launched().empty());
  launcher_.end_foreign_worker(777);
  wait_for_launch(1);
}

TEST_F(LocalExecutorTest, RestartRequeuesJobsWithoutWorkerAndCompletesFinishedOnes) {
  const Job interrupted = submit();
  const Job finished = submit();
  hand_over(store_, interrupted.job_id, "4242");  // pid 4242 is not a worker of it (any more)
  hand_over(store_, finished.job_id, "4243");
  write_file(artifacts_.job_directory(finished) / "metadata.json", "{}");
  auto executor = make_executor(options());
  executor->start();
  EXPECT_EQ(wait_for_status(finished.job_id, JobStatus::completed).status, JobStatus::completed);
  const int64_t resumed = wait_for_launch(1);
  EXPECT_EQ(env_value(launcher_.spec(resumed), "JOB_ID"), interrupted.job_id);
  EXPECT_EQ(env_value(launcher_.spec(resumed), "AWS_BATCH_JOB_ATTEMPT"), "2");
}

TEST_F(LocalExecutorTest, AWorkerThatCannotStartLeavesTheJobQueuedAndRetriesLater) {
  launcher_.set_fail_launches(true);
  const Job submitted = submit();
  LocalExecutorOptions retrying = options();
  retrying.worker_binary = "/bin/true";  // readiness then depends on the launch outcome only
  retrying.launch_retry_delay_ms = 300;
  auto executor = make_executor(retrying);
  executor->start();
  const Job waiting = wait_for_job(submitted.job_id, [](const Job& job) {
    return job.executor.external_status == "LAUNCH_FAILED";
  });
  EXPECT_EQ(waiting.status, JobStatus::queued);
  EXPECT_EQ(waiting.executor.submit_state, SubmitState::not_submitted);
  EXPECT_EQ(waiting.executor.status_reason, "cannot start the worker: cannot start /bin/true: No such file");
  const Status readiness = executor->readiness();
  ASSERT_FALSE(readiness.ok());
  EXPECT_EQ(readiness.error().message, "cannot start the worker: cannot start /bin/true: No such file");

  launcher_.set_fail_launches(false);
  wait_for_launch(1);
  EXPECT_EQ(wait_for_status(submitted.job_id, JobStatus::running).executor.attempts, 1);
  EXPECT_TRUE(executor->readiness().ok());
}

// Durations run on the executor's Clock, not the machine's: a retry delay of a minute passes when the clock says so.
TEST_F(LocalExecutorTest, TheRetryDelayAfterAFailedLaunchRunsOnTheExecutorsClock) {
  launcher_.set_fail_launches(true);
  const Job submitted = submit();
  LocalExecutorOptions retrying = options();
  retrying.worker_binary = "/bin/true";
  retrying.launch_retry_delay_ms = 60'000;
  FakeClock fake_clock(clock_.now_ms());
  LocalExecutor executor(store_, store_, artifacts_, launcher_, fake_clock, retrying);
  executor.start();
  wait_for_job(submitted.job_id, [](const Job& job) { return job.executor.external_status == "LAUNCH_FAILED"; });

  launcher_.set_fail_launches(false);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // ten polls, all inside the delay
  EXPECT_TRUE(launcher_.launched().empty());
  fake_clock.advance_ms(60'000);
  wait_for_launch(1);
  EXPECT_EQ(wait_for_status(submitted.job_id, JobStatus::running).executor.attempts, 1);
}

TEST_F(LocalExecutorTest, ReadinessNeedsARunningExecutorAndAnExecutableWorker) {
  auto missing_binary = make_executor(options());
  EXPECT_FALSE(missing_binary->readiness().ok());
  missing_binary->start();
  EXPECT_EQ(missing_binary->readiness().error().code, ErrorCode::unavailable);

  LocalExecutorOptions with_binary = options();
  with_binary.worker_binary = "/bin/true";
  auto executor = make_executor(with_binary);
  EXPECT_FALSE(executor->readiness().ok());
  executor->start();
  EXPECT_TRUE(executor->readiness().ok());
}

TEST_F(LocalExecutorTest, DefaultWorkerThreadsShareTheMachine) {
  LocalExecutorOptions defaults = options(1000);
  defaults.worker_threads = 0;
  EXPECT_EQ(make_executor(defaults)->worker_threads(), 1);
  defaults.max_concurrent_jobs = 1;
  EXPECT_EQ(make_executor(defaults)->worker_threads(),
            static_cast<int>(std::max(1U, std::thread::hardware_concurrency())));
}

TEST_F(LocalExecutorTest, LogTailReadsTheSimulationLog) {
  const Job submitted = submit();
  auto executor = make_executor(options());
  EXPECT_EQ(executor->read_log_tail(submitted, 10).value(), "");
  write_file(artifacts_.job_directory(submitted) / "simulation.log", "one\ntwo\nthree\n");
  EXPECT_EQ(executor->read_log_tail(submitted, 2).value(), "two\nthree\n");
}

}  // namespace
}  // namespace live2
