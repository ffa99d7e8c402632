// LocalExecutor running generate_dataset jobs against a fake process launcher and a real SQLite store: runs share
// the slots with single jobs fairly between users, stay within the tier's running runs, end their dataset by the
// rules of core/run.h, are cancelled with it, and survive a stop or a restart neither lost nor run twice. A dataset
// whose runs completed ends only after its combine worker has (retried once, adopted or started again on restart).
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "core/run.h"
#include "core/status_machine.h"
#include "exec/executor_fixture.h"
#include "exec/fake_process_launcher.h"
#include "exec/local_executor.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::env_value;
using testing::eventually;
using testing::write_file;

class LocalExecutorDatasetTest : public testing::ExecutorFixture {
 protected:
  LocalExecutorOptions options(int max_concurrent_jobs) const {
    LocalExecutorOptions result;
    result.worker_binary = "/opt/live2/live2-sim";
    result.max_concurrent_jobs = max_concurrent_jobs;
    result.worker_threads = 1;
    result.cancel_grace_ms = 200;
    result.env = "test";
    result.poll_interval_ms = 20;
    return result;
  }

  std::unique_ptr<LocalExecutor> make_executor(const LocalExecutorOptions& executor_options) {
    return std::make_unique<LocalExecutor>(store_, store_, artifacts_, launcher_, clock_, executor_options);
  }

  // A hobby user's dataset of `count` queued runs, as the API creates it.
  Job submit_dataset(int count, const std::string& user_id = "user_1") {
    OsRandomSource random;
    Job job;
    job.job_id = new_job_id(clock_.now_ms(), random);
    job.user_id = user_id;
    job.job_type = std::string(kDatasetJobType);
    job.tier = Tier::hobby;
    job.params_json = R"({"simulation_config":{"mode":"open_chemistry"},"replicas":)" + std::to_string(count) + "}";
    job.created_at_ms = clock_.now_ms();
    job.updated_at_ms = job.created_at_ms;
    job.request_fingerprint = sha256_hex(job.job_id);
    job.runs.total = job.runs.queued = count;
    std::vector<live2::Run> runs;
    for (int i = 0; i < count; ++i) {
      live2::Run run;
      run.job_id = job.job_id;
      run.index = i;
      run.seed = 1000 + static_cast<uint64_t>(i);
      run.params_json = R"({"simulation_config":{"mode":"open_chemistry","config":{"seed":)" +
                        std::to_string(run.seed) + "}}}";
      run.sweep_json = "{}";
      runs.push_back(run);
    }
    auto created = store_.create_dataset(job, runs, JobQuota{}, clock_.now_ms());
    if (!created) throw std::runtime_error("create_dataset failed: " + created.error().message);
    return created->job;
  }

  live2::Run run_of(const std::string& job_id, int64_t index) {
    auto runs = store_.list_runs(job_id, index, 1);
    if (!runs || runs->empty()) throw std::runtime_error("no run");
    return runs->front();
  }

  int64_t wait_for_launch(size_t count) {
    EXPECT_TRUE(eventually([&] { return launcher_.launched().size() >= count; })) << "launch " << count;
    auto launched = launcher_.launched();
    return launched.size() >= count ? launched[count - 1] : -1;
  }

  std::string job_id_of(int64_t pid) { return env_value(launcher_.spec(pid), "JOB_ID"); }

  // Ends the worker `pid` of run `index` as a finished run.
  void finish_run(const Job& dataset, int64_t index, int64_t pid) {
    write_file(artifacts_.job_directory(dataset) / "runs" / std::to_string(index) / "metadata.json", "{}");
    launcher_.finish(pid, ProcessExit{0, std::nullopt});
  }

  // The combine worker of `dataset`, the `count`th worker launched.
  int64_t wait_for_combine(const Job& dataset, size_t count) {
    const int64_t pid = wait_for_launch(count);
    EXPECT_EQ(launcher_.spec(pid).arguments.front(), "combine");
    EXPECT_EQ(env_value(launcher_.spec(pid), "LIVE2_WORKER_KEY"), dataset.job_id + ":combine");
    return pid;
  }

  // Ends the combine worker `pid` as a combine that wrote its files (metadata.json at the dataset's root).
  void finish_combine(const Job& dataset, int64_t pid) {
    write_file(artifacts_.job_directory(dataset) / "metadata.json", "{}");
    launcher_.finish(pid, ProcessExit{0, std::nullopt});
  }

  void fail_combine(const Job& dataset, int64_t pid, const std::string& reason) {
    write_file(temp_ / "run" / dataset.job_id / "combine" / "stderr.log", "live2-sim: " + reason + "\n");
    launcher_.finish(pid, ProcessExit{1, std::nullopt});
  }

  // A dataset of `count` runs a previous server took and whose runs all completed, as it left it while combining.
  Job dataset_left_combining(int count, const std::string& combine_pid) {
    const Job dataset = submit_dataset(count);
    for (int64_t index = 0; index < count; ++index) {
      EXPECT_TRUE(store_.update_run(dataset.job_id, index, [](live2::Run& run) {
        run.status = JobStatus::completed;
        run.progress = 100;
        run.attempts = 1;
        return true;
      }).ok());
    }
    EXPECT_TRUE(store_.update_job(dataset.job_id, [&](Job& job) {
      job.executor.kind = "local";
      job.executor.submit_state = SubmitState::submitted;
      job.executor.external_status = "COMBINING";
      job.executor.external_id = combine_pid;
      job.executor.attempts = 1;
      return transition(job, JobStatus::running, 1).ok();
    }).ok());
    return job(dataset.job_id);
  }

  testing::FakeProcessLauncher launcher_;
};

TEST_F(LocalExecutorDatasetTest, RunsStartAsWorkersOfTheirOwnAndEndTheDataset) {
  const Job dataset = submit_dataset(3);
  auto executor = make_executor(options(2));
  executor->start();
  const int64_t first = wait_for_launch(2) - 1;
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(launcher_.launched().size(), 2u);

  const ProcessSpec spec = launcher_.spec(first);
  const fs::path out = artifacts_.job_directory(dataset) / "runs" / "0";
  EXPECT_EQ(spec.arguments, (std::vector<std::string>{"run", "--out", out.string(), "--threads", "1"}));
  EXPECT_EQ(env_value(spec, "JOB_ID"), dataset.job_id + ":0");
  EXPECT_EQ(env_value(spec, "JOB_PARAMS"), run_of(dataset.job_id, 0).params_json);
  EXPECT_EQ(env_value(spec, "ARTIFACT_PREFIX"), "test/user_1/" + dataset.job_id + "/runs/0/");
  EXPECT_EQ(spec.stderr_file, temp_ / "run" / dataset.job_id / "runs" / "0" / "stderr.log");
  Job running = wait_for_job(dataset.job_id, [](const Job& job) { return job.runs.running == 2; });
  EXPECT_EQ(running.status, JobStatus::running);
  EXPECT_EQ(running.runs, (RunCounts{3, 1, 2, 0, 0, 0}));
  EXPECT_EQ(run_of(dataset.job_id, 0).external_id, std::to_string(first));
  EXPECT_EQ(run_of(dataset.job_id, 0).attempts, 1);

  // Progress: a run's from its progress.json, the dataset's over all runs, and an ETA from the rate so far.
  write_file(out / "progress.json", R"({"step": 60, "steps": 100})");
  running = wait_for_job(dataset.job_id, [](const Job& job) { return job.progress > 0 && job.eta_seconds; });
  EXPECT_DOUBLE_EQ(running.progress, 60.0 / 3);
  EXPECT_DOUBLE_EQ(run_of(dataset.job_id, 0).progress, 60);

  // One run fails for good, the others complete: the dataset completes and says which failed.
  finish_run(dataset, 0, first);
  write_file(temp_ / "run" / dataset.job_id / "runs" / "1" / "stderr.log", "live2-sim: HDF5 error: disk full\n");
  launcher_.finish(first + 1, ProcessExit{1, std::nullopt});
  const int64_t third = wait_for_launch(3);
  EXPECT_EQ(job_id_of(third), dataset.job_id + ":2");
  finish_run(dataset, 2, third);
  finish_combine(dataset, wait_for_combine(dataset, 4));
  const Job done = wait_for_status(dataset.job_id, JobStatus::completed);
  EXPECT_EQ(done.status, JobStatus::completed);
  EXPECT_EQ(done.runs, (RunCounts{3, 0, 0, 2, 1, 0}));
  EXPECT_EQ(done.progress, 100);
  EXPECT_FALSE(done.eta_seconds.has_value());
  EXPECT_NE(done.executor.status_reason.value_or("").find("1 of 3 runs failed"), std::string::npos);
  EXPECT_NE(done.executor.status_reason.value_or("").find("run 1: HDF5 error: disk full"), std::string::npos);
  EXPECT_EQ(run_of(dataset.job_id, 1).error, "HDF5 error: disk full");
  EXPECT_EQ(run_of(dataset.job_id, 1).status, JobStatus::failed);
}

TEST_F(LocalExecutorDatasetTest, ADatasetWhoseEveryRunFailedFails) {
  const Job dataset = submit_dataset(2);
  auto executor = make_executor(options(2));
  executor->start();
  const int64_t second = wait_for_launch(2);
  launcher_.finish(second - 1, ProcessExit{1, std::nullopt});
  launcher_.finish(second, ProcessExit{std::nullopt, SIGSEGV});
  const Job failed = wait_for_status(dataset.job_id, JobStatus::failed);
  EXPECT_EQ(failed.status, JobStatus::failed);
  EXPECT_EQ(failed.runs, (RunCounts{2, 0, 0, 0, 2, 0}));
  EXPECT_NE(failed.error.value_or("").find("2 of 2 runs failed"), std::string::npos);
}

TEST_F(LocalExecutorDatasetTest, ABigDatasetDoesNotStarveAnotherUsersJob) {
  const Job dataset = submit_dataset(6, "user_1");
  auto executor = make_executor(options(2));
  executor->start();
  const int64_t second = wait_for_launch(2);
  // Submitted after the dataset, so oldest-first would start all six runs before it.
  const Job other = submit(R"({"simulation_config":{"mode":"open_chemistry"}})", "user_2");
  finish_run(dataset, 0, second - 1);
  const int64_t third = wait_for_launch(3);
  EXPECT_EQ(job_id_of(third), other.job_id) << "the free slot goes to the user with no worker";
  // With one worker each, the next slot goes back to the dataset.
  finish_run(dataset, 1, second);
  EXPECT_EQ(job_id_of(wait_for_launch(4)), dataset.job_id + ":2");
  EXPECT_LE(launcher_.peak_running(), 2);
}

TEST_F(LocalExecutorDatasetTest, AUsersRunningRunsStayWithinTheTiersLimit) {
  LocalExecutorOptions limited = options(3);
  limited.running_runs_by_tier[Tier::hobby] = 1;
  const Job first = submit_dataset(2);
  const Job second = submit_dataset(2);
  const Job single = submit();
  auto executor = make_executor(limited);
  executor->start();
  wait_for_launch(2);
  std::this_thread::sleep_for(150ms);
  // One run of user_1's two datasets, and the single job in a slot the limit leaves free.
  ASSERT_EQ(launcher_.launched().size(), 2u);
  EXPECT_EQ(job_id_of(launcher_.launched()[0]), first.job_id + ":0");
  EXPECT_EQ(job_id_of(launcher_.launched()[1]), single.job_id);
  EXPECT_EQ(job(second.job_id).runs.running, 0);
  finish_run(first, 0, launcher_.launched()[0]);
  EXPECT_EQ(job_id_of(wait_for_launch(3)), first.job_id + ":1");
}

TEST_F(LocalExecutorDatasetTest, CancelCancelsEveryRun) {
  const Job dataset = submit_dataset(4);
  auto executor = make_executor(options(2));
  executor->start();
  const int64_t second = wait_for_launch(2);
  wait_for_job(dataset.job_id, [](const Job& job) { return job.runs.running == 2; });
  request_cancel(dataset.job_id);
  executor->wake();
  const Job cancelled = wait_for_status(dataset.job_id, JobStatus::cancelled);
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_EQ(cancelled.runs, (RunCounts{4, 0, 0, 0, 0, 4}));
  EXPECT_EQ(launcher_.signals(second - 1), std::vector<int>{SIGTERM});
  EXPECT_EQ(launcher_.signals(second), std::vector<int>{SIGTERM});
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(launcher_.launched().size(), 2u) << "no run starts after the cancel";
}

TEST_F(LocalExecutorDatasetTest, StopRequeuesRunningRunsAndANewExecutorResumesEachOnce) {
  const Job dataset = submit_dataset(2);
  auto executor = make_executor(options(2));
  executor->start();
  wait_for_launch(2);
  wait_for_job(dataset.job_id, [](const Job& job) { return job.runs.running == 2; });
  executor->stop();
  Job stopped = job(dataset.job_id);
  EXPECT_EQ(stopped.status, JobStatus::running);
  EXPECT_EQ(stopped.runs, (RunCounts{2, 2, 0, 0, 0, 0}));
  EXPECT_EQ(launcher_.running_count(), 0);

  auto restarted = make_executor(options(2));
  restarted->start();
  const int64_t fourth = wait_for_launch(4);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(launcher_.launched().size(), 4u);
  EXPECT_EQ(env_value(launcher_.spec(fourth), "AWS_BATCH_JOB_ATTEMPT"), "2");
  finish_run(dataset, 0, fourth - 1);
  finish_run(dataset, 1, fourth);
  finish_combine(dataset, wait_for_combine(dataset, 5));
  const Job done = wait_for_status(dataset.job_id, JobStatus::completed);
  EXPECT_EQ(done.runs, (RunCounts{2, 0, 0, 2, 0, 0}));
  EXPECT_EQ(run_of(dataset.job_id, 0).attempts, 2);
}

TEST_F(LocalExecutorDatasetTest, ARestartWaitsForARunsLivingWorkerAndFindsOneWhosePidWasNeverRecorded) {
  const Job dataset = submit_dataset(3);
  // A previous server took the dataset, started runs 0 (pid recorded) and 1 (crashed before recording its pid).
  ASSERT_TRUE(store_.update_job(dataset.job_id, [](Job& job) {
    job.executor.kind = "local";
    job.executor.submit_state = SubmitState::submitted;
    return transition(job, JobStatus::running, 1).ok();
  }).ok());
  for (int64_t index : {0, 1}) {
    ASSERT_TRUE(store_.update_run(dataset.job_id, index, [&](live2::Run& run) {
      run.status = JobStatus::running;
      run.attempts = 1;
      run.external_id = index == 0 ? "4242" : "";
      return true;
    }).ok());
  }
  launcher_.add_foreign_worker(4242, dataset.job_id + ":0");
  launcher_.add_foreign_worker(4243, dataset.job_id + ":1");
  auto executor = make_executor(options(3));
  executor->start();
  // Only run 2 gets a worker: 0 and 1 still have theirs.
  EXPECT_EQ(job_id_of(wait_for_launch(1)), dataset.job_id + ":2");
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(launcher_.launched().size(), 1u) << "a second worker beside a living one";

  // Run 0's worker finishes its run; run 1's is gone without finishing: it is resumed, once.
  write_file(artifacts_.job_directory(dataset) / "runs" / "0" / "metadata.json", "{}");
  launcher_.end_foreign_worker(4242);
  launcher_.end_foreign_worker(4243);
  const int64_t resumed = wait_for_launch(2);
  EXPECT_EQ(job_id_of(resumed), dataset.job_id + ":1");
  EXPECT_EQ(env_value(launcher_.spec(resumed), "AWS_BATCH_JOB_ATTEMPT"), "2");
  EXPECT_EQ(wait_for_job(dataset.job_id, [](const Job& job) { return job.runs.completed == 1; }).runs.completed, 1);
  EXPECT_EQ(run_of(dataset.job_id, 0).status, JobStatus::completed);
}

// The combine step: started as a worker of its own once the last run has ended, with the dataset's params and the
// runs' endings in dataset_runs.json; the dataset says it is combining, and completes only when combine has.
TEST_F(LocalExecutorDatasetTest, CombineStartsWhenTheLastRunEndsAndTheDatasetCompletesAfterIt) {
  const Job dataset = submit_dataset(2);
  auto executor = make_executor(options(2));
  executor->start();
  const int64_t second = wait_for_launch(2);
  finish_run(dataset, 0, second - 1);
  write_file(temp_ / "run" / dataset.job_id / "runs" / "1" / "stderr.log", "live2-sim: unstable at step 12\n");
  launcher_.finish(second, ProcessExit{1, std::nullopt});

  const int64_t combine = wait_for_combine(dataset, 3);
  const ProcessSpec spec = launcher_.spec(combine);
  const fs::path root = artifacts_.job_directory(dataset);
  EXPECT_EQ(spec.arguments, (std::vector<std::string>{"combine", "--out", root.string()}));
  EXPECT_EQ(env_value(spec, "JOB_ID"), dataset.job_id);
  EXPECT_EQ(env_value(spec, "JOB_PARAMS"), dataset.params_json);
  EXPECT_EQ(env_value(spec, "ARTIFACT_PREFIX"), "test/user_1/" + dataset.job_id + "/");
  EXPECT_EQ(spec.stderr_file, temp_ / "run" / dataset.job_id / "combine" / "stderr.log");
  EXPECT_EQ(testing::read_whole_file(root / "dataset_runs.json"),
            R"({"runs":[{"index":0,"status":"completed","error":null},)"
            R"({"index":1,"status":"failed","error":"unstable at step 12"}]})"
            "\n");
  Job combining = wait_for_job(dataset.job_id, [](const Job& job) { return job.executor.external_status == "COMBINING"; });
  EXPECT_EQ(combining.status, JobStatus::running);
  EXPECT_EQ(combining.executor.status_reason, "combining the runs into dataset.csv, dataset.h5 and dataset_summary.json");
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(job(dataset.job_id).status, JobStatus::running) << "the dataset waits for its combine";

  finish_combine(dataset, combine);
  const Job done = wait_for_status(dataset.job_id, JobStatus::completed);
  EXPECT_EQ(done.executor.external_status, "SUCCEEDED");
  EXPECT_NE(done.executor.status_reason.value_or("").find("1 of 2 runs failed"), std::string::npos);
  EXPECT_EQ(launcher_.launched().size(), 3u);
}

// A failed combine is tried once more; a second failure fails the dataset, saying the runs' artifacts are kept.
TEST_F(LocalExecutorDatasetTest, AFailedCombineIsTriedOnceMoreThenTheDatasetFails) {
  const Job dataset = submit_dataset(1);
  auto executor = make_executor(options(2));
  executor->start();
  finish_run(dataset, 0, wait_for_launch(1));
  fail_combine(dataset, wait_for_combine(dataset, 2), "HDF5: cannot create dataset.h5.tmp");
  const int64_t second_try = wait_for_combine(dataset, 3);
  EXPECT_EQ(wait_for_job(dataset.job_id, [](const Job& job) { return job.executor.attempts == 2; }).status,
            JobStatus::running);
  fail_combine(dataset, second_try, "HDF5: cannot create dataset.h5.tmp");
  const Job failed = wait_for_status(dataset.job_id, JobStatus::failed);
  EXPECT_EQ(failed.error, "combining the runs failed 2 times (HDF5: cannot create dataset.h5.tmp); the runs' "
                          "artifacts are kept under runs/");
  EXPECT_EQ(failed.runs.completed, 1);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(launcher_.launched().size(), 3u) << "no third combine";
}

TEST_F(LocalExecutorDatasetTest, ACancelWhileCombiningStopsTheCombineAndCancelsTheDataset) {
  const Job dataset = submit_dataset(1);
  auto executor = make_executor(options(2));
  executor->start();
  finish_run(dataset, 0, wait_for_launch(1));
  const int64_t combine = wait_for_combine(dataset, 2);
  request_cancel(dataset.job_id);
  executor->wake();
  EXPECT_EQ(wait_for_status(dataset.job_id, JobStatus::cancelled).status, JobStatus::cancelled);
  EXPECT_TRUE(eventually([&] { return launcher_.signals(combine) == std::vector<int>{SIGTERM}; }));
}

// A restart while combining waits for the previous server's combine worker when it lives.
TEST_F(LocalExecutorDatasetTest, ARestartAdoptsALivingCombineWorker) {
  const Job dataset = dataset_left_combining(2, "4250");
  launcher_.add_foreign_worker(4250, dataset.job_id + ":combine");
  auto executor = make_executor(options(2));
  executor->start();
  std::this_thread::sleep_for(150ms);
  EXPECT_TRUE(launcher_.launched().empty()) << "a second combine beside a living one";
  EXPECT_EQ(job(dataset.job_id).status, JobStatus::running);
  write_file(artifacts_.job_directory(dataset) / "metadata.json", "{}");
  launcher_.end_foreign_worker(4250);
  EXPECT_EQ(wait_for_status(dataset.job_id, JobStatus::completed).runs.completed, 2);
  EXPECT_TRUE(launcher_.launched().empty());
}

// Without a living combine worker the combine starts again (it is idempotent), and the interrupted attempt does
// not count against the retry.
TEST_F(LocalExecutorDatasetTest, ARestartStartsAnInterruptedCombineAgain) {
  const Job dataset = dataset_left_combining(2, "4251");
  auto executor = make_executor(options(2));
  executor->start();
  const int64_t combine = wait_for_combine(dataset, 1);
  EXPECT_EQ(wait_for_job(dataset.job_id, [](const Job& job) { return !job.executor.external_id.empty(); })
                .executor.attempts,
            1);
  finish_combine(dataset, combine);
  EXPECT_EQ(wait_for_status(dataset.job_id, JobStatus::completed).status, JobStatus::completed);
}

}  // namespace
}  // namespace live2
