// LocalExecutor: runs jobs as `live2-sim run --out {job_directory} --threads N` child processes on this machine.
// One background thread (started by start(), ended by stop()) claims queued jobs up to max_concurrent_jobs,
// launches their workers, and every poll interval (or at once after wake()) reads each worker's progress.json,
// honours cancel_requested (SIGTERM to the worker's process group, SIGKILL after cancel_grace_ms) and records how
// workers ended. Workers are launched from that thread, so if the server dies they get SIGTERM (PR_SET_PDEATHSIG),
// checkpoint and exit 75. start() first takes up jobs a previous server left handed over: a worker of theirs that
// is still alive is watched until it exits (never a second one beside it), other jobs are requeued to resume from
// their checkpoint. stop() interrupts running workers the same way and requeues their jobs.
// Below `min_free_disk_bytes` free in the artifact directory no new job is claimed (a worker would fail on the full
// disk); claims resume by themselves when space returns. A job's status turns running as soon as its worker process
// exists. Decisions: docs/local-executor.md.
// Worker stdout/stderr go to {run_directory}/{job_id}/, outside the artifacts.
// generate_dataset jobs (store/run_store.h): the executor takes the dataset (submitted, no worker of its own) and
// starts its runs, each a worker like a job's (out: {job_directory}/runs/<index>/, JOB_ID `<job_id>:<index>`), from
// the same slots as single jobs. Every free slot goes to the user with the fewest workers running (oldest job
// first among equals), so a big dataset never starves other users' jobs; a user's runs running at once stay within
// the tier's running_runs. Cancel cancels the queued runs and stops the running ones; the dataset ends by
// core/run.h's dataset_outcome once its last run has. A dataset that would end completed is first combined: the
// executor writes dataset_runs.json and starts `live2-sim combine` as a worker (key `<job_id>:combine`, in a slot
// like a run's), and the dataset ends when it has (docs/local-executor.md, "Combining"). Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/local_artifact_store.h"
#include "base/background_loop.h"
#include "base/clock.h"
#include "exec/executor.h"
#include "exec/process_launcher.h"
#include "core/tiers.h"
#include "store/job_store.h"
#include "store/run_store.h"

namespace live2 {

struct LocalExecutorOptions {
  std::string worker_binary;          // path of live2-sim
  int max_concurrent_jobs = 2;
  int worker_threads = 0;             // 0: max(1, hardware threads / max_concurrent_jobs)
  int64_t cancel_grace_ms = 10'000;   // SIGTERM -> SIGKILL, for cancels and for stop()
  std::string env = "prod";           // ENV passed to workers
  std::filesystem::path run_directory;  // workers' stdout/stderr; empty: "run" beside the artifact root
  int64_t poll_interval_ms = 250;     // how often workers are looked at without a wake()
  int64_t launch_retry_delay_ms = 5000;  // pause of new claims after a worker could not be started
  int64_t min_free_disk_bytes = 0;    // no new claims while the artifact directory has less free (they stay queued)
  std::map<Tier, int64_t> running_runs_by_tier;  // a user's dataset runs at once (TierLimits::running_runs); a tier
                                                 // not named here (or a job without one) is held only by the slots
};

class LocalExecutor final : public Executor {
 public:
  // `store` and `runs` are the same database's (SqliteJobStore is both).
  LocalExecutor(JobStore& store, RunStore& runs, LocalArtifactStore& artifacts, ProcessLauncher& launcher,
                const Clock& clock, LocalExecutorOptions options);
  ~LocalExecutor() override;  // stops

  std::string_view kind() const override { return "local"; }
  void start() override;
  void stop() override;
  void wake() override;
  Status readiness() override;
  Result<std::string> read_log_tail(const Job& job, int lines) override;
  bool runs_datasets() const override { return true; }

  int worker_threads() const { return worker_threads_; }

 private:
  struct Worker {
    Job job;                                   // as last seen in the store (a run's: its dataset)
    std::optional<int64_t> run_index;          // set: the worker of this run of the dataset `job`
    bool combine = false;                      // the combine worker of the dataset `job`
    double run_progress = 0;                   // a run's progress as last recorded
    int64_t pid = 0;
    bool adopted = false;                      // not (or no longer) waitable: a previous server's, watched via /proc
    std::optional<int64_t> terminate_sent_ms;  // when SIGTERM went to its process group
    bool kill_sent = false;
    std::optional<double> reported_eta_s;
    std::optional<std::optional<ProcessExit>> ended;  // how it ended, kept until the store has recorded it
  };

  std::chrono::milliseconds run_pass();  // one pass of the loop: recover, watch workers, claim and launch
  // Returns false when the store could not be read (the caller retries).
  bool recover_handed_over_jobs();
  // Fills the free slots from queued jobs and the startable datasets' queued runs, fairly between users.
  void claim_and_launch(const std::vector<Job>& datasets);
  // Claims a queued single job and starts its worker; false when it was not started.
  bool claim_and_launch_job(const Job& candidate);
  // Which worker of `job`: its own (a single job), one run of the dataset `job`, or the dataset's combine step.
  // (No member initializers: a default argument of the enclosing class may not use them; `{}` zeroes both.)
  struct WorkerRole {
    const Run* run;
    bool combine;
  };
  // The worker's command line and environment; creates its directories (and a params file for huge params).
  Result<ProcessSpec> worker_spec(const Job& job, int attempt, WorkerRole role = {}) const;
  // A launch that failed for want of the machine (binary missing, no processes left): /ready says why and claims
  // pause for launch_retry_delay_ms.
  void pause_claims_after_launch_failure(const std::string& worker, const Error& error);
  bool launch_worker(const Job& claimed);

  // Datasets (local_executor_datasets.cpp).
  // The key of workers_ for a worker: its job id, or its run's key.
  static std::string worker_key(const Worker& worker);
  // A previous server's running runs of `dataset`: adopted when their worker lives, settled otherwise.
  bool recover_runs(const Job& dataset);
  // Every dataset this executor has: cancels, ends and ETAs; returns those that may start runs.
  std::vector<Job> advance_datasets();
  // Takes a queued dataset (no worker of its own): the dataset as taken, nullopt when it was not.
  std::optional<Job> claim_dataset(const Job& candidate);
  // `combine_error`: why the dataset fails although runs completed (its combine step failed for good).
  void finish_dataset(const Job& dataset, JobStatus outcome, const std::optional<std::string>& combine_error = {});
  // A dataset whose runs ended with at least one completed: starts its combine worker unless one runs (or no slot
  // is free yet).
  void advance_combine(const Job& dataset);
  bool write_dataset_runs(const Job& dataset);
  // How the combine worker ended: the dataset completes, combine starts again, or the dataset fails.
  bool settle_combine(Worker& worker, const std::optional<ProcessExit>& exit, bool stopping);
  bool launch_run(const Job& dataset, const Run& run);
  void report_run_progress(Worker& worker);
  bool settle_run(Worker& worker, const std::optional<ProcessExit>& exit, bool stopping);
  int64_t running_runs_limit(const Job& dataset) const;
  // A job's or run's --out, and the directory of a job's, run's or combine worker's stdout/stderr.
  std::filesystem::path output_directory(const Job& job, std::optional<int64_t> run_index) const;
  std::filesystem::path log_directory(const std::string& job_id, std::optional<int64_t> run_index) const;
  std::filesystem::path combine_log_directory(const std::string& job_id) const;
  void watch_workers(bool stopping);
  // Returns true when the worker has ended and its job was settled.
  bool watch_worker(Worker& worker, bool stopping);
  void report_progress(Worker& worker);
  // Records how the worker ended. False when the store could not (a full disk): the next pass tries again.
  bool settle(Worker& worker, const std::optional<ProcessExit>& exit, bool stopping);
  void shut_down_workers();
  void log_store_error(const std::string& job_id, const Error& error) const;


  JobStore& store_;
  RunStore& runs_;
  LocalArtifactStore& artifacts_;
  ProcessLauncher& launcher_;
  const Clock& clock_;
  LocalExecutorOptions options_;
  int worker_threads_;

  std::mutex mutex_;           // guards launch_error_
  std::string launch_error_;  // why the last launch failed; empty once one succeeds

  // Touched only by the loop's thread.
  std::map<std::string, Worker> workers_;  // by job id, or run key for a dataset's run
  int64_t claims_paused_until_ms_ = 0;     // clock_.monotonic_ms()
  bool disk_full_logged_ = false;          // claims are held for want of disk space (logged once per episode)
  bool recovered_ = false;                 // every job a previous server handed over is accounted for
  std::map<std::string, double> eta_progress_;  // by dataset: the progress its ETA was last computed at

  // Last: stopped before the state its passes use goes away. Its thread is the workers' parent (death signal).
  BackgroundLoop loop_;
};

}  // namespace live2
