// SlurmExecutor runs generate_dataset jobs as job arrays, driven by hand against FakeSlurm: one array per
// MaxArraySize tasks with the run index offset in its batch script and the tier's running runs as throttle, a held
// combine job that depends on the arrays and is released once every run is settled, runs tracked from the same one
// squeue per cycle and settled from their own files, requeues of interrupted tasks, cancel, and adoption by name.
#include <boost/json.hpp>

#include "core/run.h"
#include "slurm_executor_fixture.h"

namespace live2 {
namespace {

using testing::has;
using testing::read_text;
using testing::write_text;
namespace fs = std::filesystem;

class SlurmDatasetTest : public testing::SlurmExecutorTest {
 protected:
  fs::path run_directory(const std::string& id, int64_t index) { return directory(id) / run_artifact_prefix(index); }
  void complete_run(const std::string& id, int64_t array, int64_t task, int64_t index) {
    write_text(run_directory(id, index) / "metadata.json", "{}");
    slurm_.finish_task(array, task, "COMPLETED", 0);
  }
  const std::vector<std::string>& argv_of(const std::string& name) { return slurm_.by_name(name).sbatch_argv; }
};

TEST_F(SlurmDatasetTest, RunsADatasetAsAnArrayAndAHeldCombineJobThatEndsIt) {
  const std::string id = add_dataset(4);
  SlurmExecutorOptions options;
  options.running_runs_by_tier[Tier::research] = 2;
  SlurmExecutor& executor = this->executor(options);
  EXPECT_TRUE(executor.runs_datasets());
  executor.run_cycle();
  ASSERT_EQ(slurm_.jobs.size(), 2u);
  const std::string dir = directory(id).string();
  const std::vector<std::string>& array = argv_of("live2-" + id + "-runs0");
  for (const std::string& word : std::vector<std::string>{"--array=0-3%2", "--output=" + dir + "/.slurm-%A_%a.out", "--requeue"}) {
    EXPECT_TRUE(has(array, word)) << word;
  }
  const std::string script = read_text(directory(id) / ".live2-slurm-runs0.sh");
  EXPECT_NE(script.find("export JOB_ID='" + id + "'\n"), std::string::npos) << script;
  EXPECT_NE(script.find("\nexport RUN_INDEX=$((SLURM_ARRAY_TASK_ID + 0))\nexec '/opt/live2/bin/live2-sim' run --out '" +
                        dir + "' --threads 1\n"),
            std::string::npos)
      << script;
  EXPECT_EQ(read_text(directory(id) / "params.json"), job(id).params_json);
  const std::vector<std::string>& combine = argv_of("live2-" + id + "-combine");
  EXPECT_TRUE(has(combine, "--dependency=afterany:100"));
  EXPECT_TRUE(has(combine, "--hold"));
  EXPECT_NE(read_text(directory(id) / ".live2-slurm-combine.sh")
                .find("exec '/opt/live2/bin/live2-sim' combine --out '" + dir + "' --params '" + dir + "/params.json'"),
            std::string::npos);
  EXPECT_EQ(job(id).executor.external_id, "100");
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitted);

  // Two tasks start; one reports progress.
  slurm_.start_task(100, 0);
  slurm_.start_task(100, 1);
  write_text(run_directory(id, 0) / "progress.json", R"({"step":100,"steps":200,"progress":0.5,"eta_seconds":30})");
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::running);
  EXPECT_EQ(job(id).runs.running, 2);
  EXPECT_EQ(job(id).runs.queued, 2);
  EXPECT_EQ(run(id, 0).external_id, "100_0");
  EXPECT_DOUBLE_EQ(run(id, 0).progress, 50);
  EXPECT_EQ(slurm_.count("squeue"), 2);  // one per cycle, arrays included

  // Run 0 completes; run 1 fails with the worker's reason in its task's output file.
  complete_run(id, 100, 0, 0);
  write_text(directory(id) / ".slurm-100_1.out", "live2-sim: unstable at step 812: lower dt\n");
  slurm_.finish_task(100, 1, "FAILED", 1 << 8);
  slurm_.start_task(100, 2);
  slurm_.start_task(100, 3);
  executor.run_cycle();
  EXPECT_EQ(run(id, 0).status, JobStatus::completed);
  EXPECT_EQ(run(id, 1).status, JobStatus::failed);
  EXPECT_EQ(run(id, 1).error, "unstable at step 812: lower dt");
  EXPECT_EQ(run(id, 1).exit_code, 1);
  EXPECT_EQ(slurm_.count("scontrol"), 1);  // show config, nothing released yet
  complete_run(id, 100, 2, 2);
  complete_run(id, 100, 3, 3);
  executor.run_cycle();
  // Every run settled: dataset_runs.json says how each ended, and the combine job may start.
  EXPECT_EQ(slurm_.calls.back(), (std::vector<std::string>{"scontrol", "release", "101"}));
  const boost::json::value runs = boost::json::parse(read_text(directory(id) / "dataset_runs.json"));
  EXPECT_EQ(runs.at("runs").as_array().size(), 4u);
  EXPECT_EQ(runs.at("runs").at(1).at("status").as_string(), "failed");
  EXPECT_EQ(runs.at("runs").at(1).at("error").as_string(), "unstable at step 812: lower dt");
  EXPECT_EQ(job(id).status, JobStatus::running);
  EXPECT_EQ(job(id).executor.external_status, "COMBINING");

  // The dataset ends when the combine job wrote the dataset's metadata.json.
  write_text(directory(id) / "metadata.json", "{}");
  slurm_.finish(101, "COMPLETED", 0);
  executor.run_cycle();
  const Job done = job(id);
  EXPECT_EQ(done.status, JobStatus::completed);
  EXPECT_EQ(done.runs.completed, 3);
  EXPECT_EQ(done.runs.failed, 1);
  EXPECT_NE(done.executor.status_reason->find("1 of 4 runs failed"), std::string::npos) << *done.executor.status_reason;
  EXPECT_EQ(slurm_.count("sbatch"), 2);
}

TEST_F(SlurmDatasetTest, SplitsAtMaxArraySizeWithTheRunIndexOffsetInEachScript) {
  slurm_.max_array_size = 3;
  const std::string id = add_dataset(7, Tier::hobby);
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  const std::string throttle = "%" + std::to_string(default_limits(Tier::hobby).running_runs);
  EXPECT_TRUE(has(argv_of("live2-" + id + "-runs0"), "--array=0-2" + throttle));
  EXPECT_TRUE(has(argv_of("live2-" + id + "-runs3"), "--array=0-2" + throttle));
  EXPECT_TRUE(has(argv_of("live2-" + id + "-runs6"), "--array=0-0" + throttle));
  EXPECT_NE(read_text(directory(id) / ".live2-slurm-runs6.sh").find("$((SLURM_ARRAY_TASK_ID + 6))"), std::string::npos);
  EXPECT_TRUE(has(argv_of("live2-" + id + "-combine"), "--dependency=afterany:100:101:102"));
  EXPECT_EQ(job(id).executor.external_id, "100,101,102");
  // Task 1 of the second array is run 4.
  slurm_.start_task(101, 1);
  executor.run_cycle();
  EXPECT_EQ(run(id, 4).status, JobStatus::running);
  EXPECT_EQ(run(id, 4).external_id, "101_1");
  EXPECT_EQ(job(id).runs.running, 1);
}

TEST_F(SlurmDatasetTest, AnInterruptedTaskIsRequeuedAndTheCombineJobWaitsForIt) {
  const std::string id = add_dataset(1);
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  slurm_.start_task(100, 0);
  executor.run_cycle();
  slurm_.finish_task(100, 0, "FAILED", 75 << 8);  // the time limit's SIGTERM: checkpoint, exit 75
  executor.run_cycle();
  EXPECT_EQ(slurm_.calls.back(), (std::vector<std::string>{"scontrol", "requeue", "100_0"}));
  EXPECT_EQ(slurm_.jobs.at(100).tasks.at(0).state, "PENDING");
  executor.run_cycle();
  EXPECT_EQ(run(id, 0).status, JobStatus::running);
  EXPECT_EQ(slurm_.jobs.at(101).reason, "JobHeldUser");  // not released while a run may still resume
}

TEST_F(SlurmDatasetTest, CancelEndsTheArrayAndTheCombineJob) {
  const std::string id = add_dataset(3);
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  slurm_.start_task(100, 0);
  executor.run_cycle();
  request_cancel(id);
  executor.run_cycle();
  EXPECT_EQ(slurm_.calls.back(), (std::vector<std::string>{"scancel", "100"}));
  EXPECT_EQ(slurm_.jobs.at(100).tasks.at(0).state, "CANCELLED");
  EXPECT_EQ(job(id).runs.cancelled, 2);  // the queued ones at once
  executor.run_cycle();
  const Job cancelled = job(id);
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_EQ(cancelled.runs.cancelled, 3);
  EXPECT_EQ(slurm_.jobs.at(101).state, "CANCELLED");
  EXPECT_EQ(slurm_.count("scancel"), 2);  // the array and the combine job, once each
}

TEST_F(SlurmDatasetTest, ADatasetLeftSubmittingIsAdoptedByNameAndOnlyTheMissingArrayIsSubmitted) {
  slurm_.max_array_size = 2;
  const std::string id = add_dataset(4);
  // A server that died after submitting the first array and before recording it.
  slurm_.jobs[100].name = "live2-" + id + "-runs0";
  slurm_.jobs[100].unstarted = {0, 1};
  slurm_.jobs[100].throttle = "%4";
  slurm_.next_id = 101;
  ASSERT_TRUE(store_.update_job(id, [](Job& current) {
    current.executor.kind = "slurm";
    current.executor.submit_state = SubmitState::submitting;
    current.executor.vcpus = 1;
    return true;
  }).ok());
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  EXPECT_EQ(slurm_.count("sbatch"), 2);  // the second array and the combine job, not the first again
  EXPECT_EQ(job(id).executor.external_id, "100,101");
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitted);
  EXPECT_TRUE(has(argv_of("live2-" + id + "-combine"), "--dependency=afterany:100:101"));
  executor.run_cycle();
  EXPECT_EQ(slurm_.count("sbatch"), 2);
}

TEST_F(SlurmDatasetTest, RunsWhoseTasksLeftTheQueueAreSettledFromTheirFilesAndCombineIsTriedTwice) {
  const std::string id = add_dataset(2);
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  slurm_.start_task(100, 0);
  executor.run_cycle();
  // While the server was away both tasks ran, ended and left the queue (MinJobAge).
  write_text(run_directory(id, 0) / "metadata.json", "{}");
  write_text(run_directory(id, 1) / "metadata.json", "{}");
  slurm_.jobs.erase(100);
  executor.run_cycle();
  EXPECT_EQ(job(id).runs.completed, 2);
  EXPECT_EQ(slurm_.calls.back(), (std::vector<std::string>{"scontrol", "release", "101"}));
  EXPECT_EQ(job(id).executor.attempts, 1);
  // Combine fails: it is submitted once more (held, nothing to wait for), released, and fails again.
  write_text(directory(id) / ".slurm-combine.out", "live2-sim: cannot write dataset.h5: disk full\n");
  slurm_.finish(101, "FAILED", 1 << 8);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::running);
  EXPECT_EQ(job(id).executor.status_reason, "combining failed (cannot write dataset.h5: disk full); it starts again");
  const std::vector<std::string>& again = argv_of("live2-" + id + "-combine");  // the first such job: 101
  EXPECT_TRUE(has(again, "--dependency=afterany:100"));
  EXPECT_TRUE(has(slurm_.jobs.at(102).sbatch_argv, "--hold"));
  EXPECT_FALSE(std::any_of(slurm_.jobs.at(102).sbatch_argv.begin(), slurm_.jobs.at(102).sbatch_argv.end(),
                           [](const std::string& word) { return word.starts_with("--dependency"); }));
  executor.run_cycle();
  EXPECT_EQ(slurm_.calls.back(), (std::vector<std::string>{"scontrol", "release", "102"}));
  slurm_.finish(102, "FAILED", 1 << 8);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::failed);
  EXPECT_EQ(job(id).error, "combining the runs failed 2 times (cannot write dataset.h5: disk full); the runs' "
                           "artifacts are kept under runs/");
  EXPECT_EQ(job(id).runs.completed, 2);
}

}  // namespace
}  // namespace live2
