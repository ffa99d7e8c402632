// SlurmExecutor cycles driven by hand against FakeSlurm (Slurm's commands with an in-memory controller), a real
// SQLite job store and a local artifact store in a temp dir (the "shared filesystem"): the sbatch command line and
// batch script, one squeue per cycle, status mapping, outcomes from the worker's files, cancels, requeues and the
// never-twice hand-over across lost answers and crashes.
#include "slurm_executor_fixture.h"

namespace live2 {
namespace {

using testing::has;
using testing::read_text;
using testing::SlurmExecutorTest;
using testing::write_text;
namespace fs = std::filesystem;

TEST_F(SlurmExecutorTest, SubmitsWithTheJobsNameSettingsSignalAndRequeue) {
  const std::string id = add_job();
  SlurmExecutorOptions options;
  options.partition = "compute";
  options.account = "lab42";
  options.qos = "normal";
  options.time_limit_minutes = 90;
  options.sizing.cpus_per_task = 4;
  options.sizing.memory_mib = 3'000;
  options.signal_grace_s = 120;
  executor(options).run_cycle();
  ASSERT_EQ(slurm_.jobs.size(), 1u);
  const std::vector<std::string>& argv = slurm_.jobs.begin()->second.sbatch_argv;
  const std::string dir = directory(id).string();
  for (const std::string& word : std::vector<std::string>{"--parsable", "--job-name=live2-" + id, "--chdir=" + dir, "--output=" + dir + "/.slurm-%j.out",
        "--export=ALL", "--requeue", "--partition=compute", "--account=lab42", "--qos=normal", "--time=90",
        "--cpus-per-task=4", "--mem=3000M", "--signal=B:TERM@120"}) {
    EXPECT_TRUE(has(argv, word)) << word;
  }
  EXPECT_EQ(argv.back(), dir + "/.live2-slurm.sh");
  const Job handed = job(id);
  EXPECT_EQ(handed.executor.kind, "slurm");
  EXPECT_EQ(handed.executor.submit_state, SubmitState::submitted);
  EXPECT_EQ(handed.executor.external_id, "100");
  EXPECT_EQ(handed.executor.vcpus, 4);
  EXPECT_EQ(handed.executor.memory_mib, 3'000);
  EXPECT_EQ(read_text(directory(id) / "params.json"), R"({"simulation_config":{"mode":"demo"}})");
  const std::string script = read_text(directory(id) / ".live2-slurm.sh");
  EXPECT_NE(script.find("export JOB_ID='" + id + "'\n"), std::string::npos) << script;
  EXPECT_NE(script.find("export OUTPUT_BUDGET_BYTES='1000000'\n"), std::string::npos) << script;
  EXPECT_NE(script.find("\nexec '/opt/live2/bin/live2-sim' run --out '" + dir + "' --threads 4\n"), std::string::npos)
      << script;
  // Not a file a user can download: hidden files are not artifacts.
  auto listing = artifacts_.list(handed, 60);
  ASSERT_TRUE(listing.ok());
  for (const Artifact& artifact : listing->artifacts) EXPECT_FALSE(artifact.name.starts_with(".")) << artifact.name;
}

TEST_F(SlurmExecutorTest, TheBatchScriptKeepsHostileTextLiteral) {
  const std::string hostile = "$(touch INJECTED)'; touch INJECTED; echo \"`touch INJECTED`\"";
  const std::string id = add_job(hostile);
  executor().run_cycle();
  // Run the script as Slurm would (in the temp dir), with a stand-in worker that prints what it was given.
  std::string script = read_text(directory(id) / ".live2-slurm.sh");
  const std::string worker = "exec '/opt/live2/bin/live2-sim'";
  ASSERT_NE(script.find(worker), std::string::npos) << script;
  script.replace(script.find(worker), worker.size(), "printenv USER_ID; echo");
  LocalCommandRunner runner;
  Result<CommandOutput> ran = runner.run({"sh", "-c", std::string("cd ") + shell_quoted(dir_.path().string()) + " && " + script});
  ASSERT_TRUE(ran.ok());
  EXPECT_EQ(ran->stdout_text, hostile + "\nrun --out " + directory(id).string() + " --threads 1\n");
  EXPECT_FALSE(fs::exists(dir_ / "INJECTED"));
}

TEST_F(SlurmExecutorTest, ReadsTheWholeQueueWithOneSqueuePerCycle) {
  std::vector<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.push_back(add_job());
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  EXPECT_EQ(slurm_.count("sbatch"), 30);
  EXPECT_EQ(slurm_.count("squeue"), 1);
  for (int cycle = 0; cycle < 3; ++cycle) executor.run_cycle();
  EXPECT_EQ(slurm_.count("squeue"), 4);
  EXPECT_EQ(slurm_.count("sbatch"), 30);
  EXPECT_EQ(job(ids[7]).executor.external_status, "PENDING");
  EXPECT_EQ(job(ids[7]).executor.status_reason, "waiting in Slurm's queue: Priority");
}

TEST_F(SlurmExecutorTest, RunningJobsReportProgressAndCompleteFromTheirMetadata) {
  const std::string id = add_job();
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  start_running(id);
  write_text(directory(id) / "progress.json", R"({"step":50,"steps":200,"progress":0.25,"eta_seconds":30})");
  executor.run_cycle();
  Job running = job(id);
  EXPECT_EQ(running.status, JobStatus::running);
  EXPECT_DOUBLE_EQ(running.progress, 25);
  EXPECT_EQ(running.eta_seconds, 30);
  EXPECT_EQ(running.started_at_ms, int64_t{1'794'999'990} * 1000);
  EXPECT_EQ(running.executor.attempts, 1);
  write_text(directory(id) / "metadata.json", "{}");
  // Requeued, run again and finished between two cycles: the second run still counts.
  slurm_.finish(slurm_id(id), "COMPLETED", 0);
  slurm_.jobs.at(slurm_id(id)).restart_count = 1;
  executor.run_cycle();
  const Job completed = job(id);
  EXPECT_EQ(completed.executor.attempts, 2);
  EXPECT_EQ(completed.status, JobStatus::completed);
  EXPECT_EQ(completed.executor.exit_code, 0);
  EXPECT_EQ(completed.completed_at_ms, int64_t{1'795'000'100} * 1000);
}

TEST_F(SlurmExecutorTest, AFailedWorkersReasonLineInSlurmsOutputIsTheJobsError) {
  const std::string id = add_job();
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  start_running(id);
  executor.run_cycle();
  write_text(executor.output_file(job(id), job(id).executor.external_id),
             "info step 10\nlive2-sim: unstable at step 812: lower dt\n");
  slurm_.finish(slurm_id(id), "FAILED", 1 << 8);
  executor.run_cycle();
  const Job failed = job(id);
  EXPECT_EQ(failed.status, JobStatus::failed);
  EXPECT_EQ(failed.error, "unstable at step 812: lower dt");
  EXPECT_EQ(failed.executor.exit_code, 1);
  EXPECT_EQ(failed.executor.external_status, "FAILED");
}

TEST_F(SlurmExecutorTest, ACleanExitWithoutVisibleMetadataWaitsForTheSharedFilesystemThenFails) {
  const std::string id = add_job();
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  slurm_.finish(slurm_id(id), "COMPLETED", 0);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::queued);
  clock_.advance_ms(10'000);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::failed);
  EXPECT_EQ(job(id).error, "the worker exited with code 0 without writing metadata.json");
}

TEST_F(SlurmExecutorTest, CancelsAPendingJobWithScancel) {
  const std::string id = add_job();
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  request_cancel(id);
  executor.run_cycle();
  EXPECT_EQ(slurm_.jobs.at(slurm_id(id)).state, "CANCELLED");
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::cancelled);
}

TEST_F(SlurmExecutorTest, CancelsARunningJobWithTermThenKillAfterTheGrace) {
  const std::string id = add_job();
  SlurmExecutorOptions options;
  options.cancel_grace_ms = 5'000;
  SlurmExecutor& executor = this->executor(options);
  executor.run_cycle();
  start_running(id);
  executor.run_cycle();
  request_cancel(id);
  executor.run_cycle();
  EXPECT_EQ(slurm_.jobs.at(slurm_id(id)).signals, std::vector<std::string>{"TERM"});
  EXPECT_TRUE(has(slurm_.calls.back(), "--full"));
  executor.run_cycle();
  EXPECT_EQ(slurm_.jobs.at(slurm_id(id)).signals.size(), 1u);  // within the grace: nothing more
  clock_.advance_ms(5'000);
  executor.run_cycle();
  EXPECT_EQ(slurm_.jobs.at(slurm_id(id)).signals, (std::vector<std::string>{"TERM", "KILL"}));
  // The worker checkpointed on SIGTERM and exited 75: a cancel, not a requeue.
  slurm_.finish(slurm_id(id), "FAILED", 75 << 8);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::cancelled);
  EXPECT_EQ(slurm_.count("scontrol"), 0);
}

TEST_F(SlurmExecutorTest, AnInterruptedWorkerIsRequeuedUpToTheLimitThenFails) {
  const std::string id = add_job();
  SlurmExecutorOptions options;
  options.max_requeues = 2;
  SlurmExecutor& executor = this->executor(options);
  executor.run_cycle();
  for (int attempt = 1; attempt <= 2; ++attempt) {
    start_running(id);
    executor.run_cycle();
    EXPECT_EQ(job(id).executor.attempts, attempt);
    slurm_.finish(slurm_id(id), "FAILED", 75 << 8);  // the time limit's SIGTERM: checkpoint, exit 75
    executor.run_cycle();
    EXPECT_EQ(slurm_.count("scontrol"), attempt);
    EXPECT_EQ(slurm_.jobs.at(slurm_id(id)).state, "PENDING");
    executor.run_cycle();
    EXPECT_EQ(job(id).status, JobStatus::running);  // running does not go back to queued
    EXPECT_NE(job(id).executor.status_reason->find("resume from its checkpoint"), std::string::npos);
  }
  slurm_.finish(slurm_id(id), "TIMEOUT", 9);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::failed);
  EXPECT_NE(job(id).error->find("at most 2 times"), std::string::npos) << *job(id).error;
  EXPECT_EQ(slurm_.count("sbatch"), 1);
}

TEST_F(SlurmExecutorTest, AJobCancelledOutsideLive2Fails) {
  const std::string id = add_job();
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  start_running(id);
  executor.run_cycle();
  slurm_.finish(slurm_id(id), "CANCELLED", 15);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::failed);
  EXPECT_EQ(job(id).error, "its Slurm job 100 was cancelled outside live2 (scancel)");
}

TEST_F(SlurmExecutorTest, JobsThatLeftTheQueueAreSettledFromTheirFiles) {
  const std::string finished = add_job();
  const std::string broken = add_job();
  const std::string interrupted = add_job();
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  write_text(directory(finished) / "metadata.json", "{}");
  write_text(executor.output_file(job(broken), job(broken).executor.external_id), "live2-sim: disk quota exceeded\n");
  slurm_.jobs.clear();  // MinJobAge passed while the server was away
  executor.run_cycle();
  EXPECT_EQ(job(finished).status, JobStatus::completed);
  // Without metadata.json the shared filesystem gets its settle time before the files decide.
  EXPECT_EQ(job(broken).status, JobStatus::queued);
  clock_.advance_ms(10'000);
  executor.run_cycle();
  EXPECT_EQ(job(broken).status, JobStatus::failed);
  EXPECT_EQ(job(broken).error, "disk quota exceeded");
  // No outcome and no reason: not running (not in the queue), so it is handed over again and resumes from its
  // checkpoint.
  EXPECT_EQ(job(interrupted).executor.submit_state, SubmitState::not_submitted);
  executor.run_cycle();
  EXPECT_EQ(slurm_.count("sbatch"), 4);
  EXPECT_EQ(job(interrupted).executor.submit_state, SubmitState::submitted);
  EXPECT_EQ(job(interrupted).executor.external_id, "103");
}

TEST_F(SlurmExecutorTest, SizesEachJobByItsTierAndKeepsTheSizeWhenItIsHandedOverAgain) {
  // 100,000 particles for 10^6 steps: hours on one CPU, so the research tier's whole ceiling of 4 CPUs.
  const std::string id = add_job("usr_1", R"({"simulation_config": {"mode": "open_chemistry",
      "config": {"num_particles": 100000, "steps": 1000000}}})", Tier::research);
  const std::string small = add_job();
  executor().run_cycle();
  const std::vector<std::string>& argv = slurm_.by_name("live2-" + id).sbatch_argv;
  EXPECT_TRUE(has(argv, "--cpus-per-task=4"));
  EXPECT_TRUE(has(argv, "--mem=610M"));  // 512 MiB + 1 KiB per particle
  EXPECT_NE(read_text(directory(id) / ".live2-slurm.sh").find("--threads 4\n"), std::string::npos);
  EXPECT_EQ(job(id).executor.vcpus, 4);
  EXPECT_EQ(job(id).executor.memory_mib, 610);
  EXPECT_TRUE(has(slurm_.by_name("live2-" + small).sbatch_argv, "--cpus-per-task=1"));
  EXPECT_TRUE(has(slurm_.by_name("live2-" + small).sbatch_argv, "--mem=513M"));

  // It left the queue unfinished and is handed over again, by a server whose settings changed meanwhile: it
  // resumes its checkpoint with the size it started with.
  slurm_.jobs.clear();
  SlurmExecutorOptions fixed;
  fixed.sizing.cpus_per_task = 1;
  fixed.sizing.memory_mib = 1'000;
  SlurmExecutor& restarted = executor(fixed);
  restarted.run_cycle();
  clock_.advance_ms(10'000);
  restarted.run_cycle();
  restarted.run_cycle();
  EXPECT_TRUE(has(slurm_.by_name("live2-" + id).sbatch_argv, "--cpus-per-task=4"));
  EXPECT_TRUE(has(slurm_.by_name("live2-" + id).sbatch_argv, "--mem=610M"));
}

TEST_F(SlurmExecutorTest, AnSbatchWhoseAnswerWasLostIsAdoptedByNameNeverSubmittedTwice) {
  const std::string id = add_job();
  slurm_.next_sbatch = Error::make(ErrorCode::timeout, "sbatch did not finish within 60000 ms");
  slurm_.sbatch_queues_despite_answer = true;
  SlurmExecutor& executor = this->executor();
  // The same cycle's squeue finds the job by its name.
  executor.run_cycle();
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitted);
  EXPECT_EQ(job(id).executor.external_id, "100");
  EXPECT_FALSE(executor.readiness().ok());  // the cycle saw sbatch time out
  executor.run_cycle();
  EXPECT_EQ(slurm_.count("sbatch"), 1);
  EXPECT_TRUE(executor.readiness().ok());
}

TEST_F(SlurmExecutorTest, AJobLeftSubmittingThatSlurmNeverGotIsSubmittedAgain) {
  const std::string id = add_job();
  ASSERT_TRUE(store_.update_job(id, [](Job& current) {  // a server that died right after recording its intent
    current.executor.kind = "slurm";
    current.executor.submit_state = SubmitState::submitting;
    return true;
  }).ok());
  SlurmExecutor& executor = this->executor();
  executor.run_cycle();
  executor.run_cycle();
  EXPECT_EQ(slurm_.count("sbatch"), 1);
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitted);
}

TEST_F(SlurmExecutorTest, ARefusedSubmissionFailsTheJobWithSlurmsMessage) {
  const std::string id = add_job();
  slurm_.next_sbatch = CommandOutput{1, "", "sbatch: error: Batch job submission failed: Invalid partition name specified\n"};
  executor().run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::failed);
  EXPECT_EQ(job(id).error, "Slurm refused the job: sbatch: error: Batch job submission failed: Invalid partition name specified");
}

TEST_F(SlurmExecutorTest, AnUnreachableControllerOrMungeLeavesJobsQueuedAndTheExecutorNotReady) {
  const std::string id = add_job();
  SlurmExecutor& executor = this->executor();
  for (const char* trouble :
       {"sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n",
        "sbatch: error: Munge encode failed: Failed to access \"/run/munge/munge.socket.2\": No such file or "
        "directory (Did you start munged?)\nsbatch: error: Batch job submission failed: Protocol authentication error\n",
        "sbatch: error: Batch job submission failed: Job violates accounting/QOS policy (job submit limit, user's "
        "size and/or time limits)\n"}) {
    slurm_.next_sbatch = CommandOutput{1, "", trouble};
    executor.run_cycle();
    EXPECT_EQ(job(id).status, JobStatus::queued) << trouble;
    EXPECT_EQ(job(id).executor.submit_state, SubmitState::not_submitted);
    EXPECT_FALSE(executor.readiness().ok());
  }
  executor.run_cycle();
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitted);
}

}  // namespace
}  // namespace live2
