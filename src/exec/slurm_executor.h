// SlurmExecutor: runs jobs as Slurm batch jobs (docs/slurm.md). Each job's directory on the cluster's shared
// filesystem (the LocalArtifactStore's root, seen by the server and the nodes) holds its params.json, its batch
// script (which execs live2-sim, so Slurm's signals reach the worker) and Slurm's output file beside the worker's
// artifacts; downloads are the local store's signed links. One background thread does everything, in cycles:
// hand over queued jobs (sbatch, job name `live2-<job id>`), take up jobs whose hand-over was interrupted, read the
// whole queue with one `squeue --json`, signal cancelled jobs (SIGTERM, SIGKILL after cancel_grace_ms), copy
// progress from progress.json, and settle jobs that ended or left the queue from the worker's own outcome files
// (metadata.json, its reason line in the output file) rather than from accounting, which a cluster may not have.
// Each job is sized at its first claim (slurm_job_size.h: CPUs and memory by tier unless the settings fix them).
// Never two Slurm jobs for one live2 job: the store records `submitting` before sbatch and the Slurm id after; a job
// found `submitting` is looked up by name in the queue, settled from its metadata.json when its run finished, and only
// submitted again when Slurm holds no job of that name (a run that is not in the queue is not running). A worker interrupted by SIGTERM (the time limit's warning, a requeue, preemption)
// checkpoints and exits 75; its job is requeued (`scontrol requeue`) and resumes from the checkpoint.
// A generate_dataset job (slurm_executor_datasets.cpp) runs as job arrays, one task per run (split at the cluster's
// MaxArraySize, at most the tier's running runs at once), and a held combine job that depends on them and is
// released once every run is settled in the RunStore; the dataset ends (core/run.h) after the combine job.
// Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "artifacts/local_artifact_store.h"
#include "base/clock.h"
#include "exec/executor.h"
#include "exec/reconcile_loop.h"
#include "exec/slurm_batch_script.h"
#include "exec/slurm_commands.h"
#include "exec/slurm_job_size.h"
#include "exec/worker_outcome.h"
#include "store/job_store.h"
#include "store/run_store.h"

namespace live2 {

struct SlurmExecutorOptions {
  std::string worker_binary;        // live2-sim's path on the nodes
  std::string env = "prod";         // ENV for the worker
  std::string partition;            // empty: the cluster's default partition
  std::string account;
  std::string qos;
  int64_t time_limit_minutes = 0;   // 0: the partition's default
  SlurmSizing sizing;               // CPUs (the worker's --threads) and memory per job: slurm_job_size.h
  int64_t signal_grace_s = 120;     // SIGTERM this long before the time limit, for the final checkpoint
  int64_t cancel_grace_ms = 10'000; // SIGTERM -> SIGKILL for a cancel
  int max_requeues = 10;            // interrupted runs requeued at most this often, then the job fails
  // A job Slurm reports ended whose metadata.json is not visible yet (shared filesystems cache attributes) is
  // settled only after this long.
  int64_t outcome_settle_ms = 30'000;
  PollCadence cadence{5'000, 1'000, 30'000};
  int max_submits_per_cycle = 50;
  // A dataset's array tasks running at once (`--array=...%K`), by its tier; a tier not here has
  // default_limits()' running_runs, a job without a tier the hobby tier's.
  std::map<Tier, int64_t> running_runs_by_tier;
};

class SlurmExecutor final : public Executor {
 public:
  SlurmExecutor(JobStore& store, RunStore& runs, LocalArtifactStore& artifacts, SlurmCommands& slurm,
                const Clock& clock, SlurmExecutorOptions options);
  ~SlurmExecutor() override;  // stops

  std::string_view kind() const override { return "slurm"; }
  void start() override;
  void stop() override;
  void wake() override;
  Status readiness() override;
  Result<std::string> read_log_tail(const Job& job, int lines) override;
  ExecutorActivity activity() const override;
  bool runs_datasets() const override { return true; }

  // One cycle, as the background thread runs it; true when anything changed. Public for tests.
  bool run_cycle() { return loop_.run_cycle(); }

  // Slurm's output file for a job (`.slurm-<slurm id>.out` in its directory, hidden from the artifact listing).
  std::filesystem::path output_file(const Job& job, const std::string& slurm_job_id) const;

 private:
  // This cycle's `squeue --json`, live2's jobs only, indexed.
  struct QueueView {
    std::vector<SlurmJob> jobs;
    std::map<std::string, const SlurmJob*> by_id;
    std::map<std::string, std::vector<const SlurmJob*>> by_name;
  };

  static int cpus_of(const Job& job);  // the CPUs recorded at the claim (slurm_job_size.h)
  static std::string slurm_job_name(const std::string& job_id);  // `live2-<job id>`
  static void set_external_status(Job& job, const std::string& status, int64_t now_ms);

  bool run_cycle_steps();
  bool submit_queued_jobs();
  bool submit(const Job& claimed);
  Status write_job_files(const Job& job, const std::filesystem::path& directory) const;
  // A batch script's title and the worker's environment for `job`: the caller adds its own lines and the exec.
  SlurmBatchScript batch_script(const Job& job, const std::string& title) const;
  // sbatch's request for `job` with the settings and the job's size; the caller adds what differs (array, hold).
  SbatchRequest sbatch_request(const Job& job, const std::string& name, const std::filesystem::path& script,
                               const std::filesystem::path& output) const;
  bool recover_submitting(const Job& job, const std::vector<const SlurmJob*>& named);
  void send_cancel(const Job& job, const SlurmJob* slurm_job);
  bool apply(const Job& job, const SlurmJob& slurm_job);
  bool settle(const Job& job, const std::optional<SlurmJob>& slurm_job);
  bool requeue(const Job& job, const SlurmJob& slurm_job);
  bool update(const Job& job, const std::function<bool(Job&)>& mutate);
  // The worker's first and last lines in Slurm's output file, and its exit, for judge_finished_worker.
  FinishedWorker finished_worker(const std::filesystem::path& output, const std::optional<SlurmJob>& slurm_job,
                                 bool cancel_requested, bool metadata_written) const;
  // Whether an end without visible metadata.json is still within outcome_settle_ms (keyed by job or run).
  bool still_settling(const std::string& key, const FinishedWorker& finished, bool left_queue);

  // Datasets (slurm_executor_datasets.cpp).
  // What a job asks of Slurm: a dataset's tasks share one size, its largest run's.
  Result<SlurmJobSize> size_of(const Job& job);
  bool submit_dataset(const Job& dataset, const QueueView* queue);
  Status write_array_script(const Job& dataset, int64_t offset, const std::filesystem::path& script) const;
  Result<std::string> submit_array(const Job& dataset, int64_t offset, const std::string& tasks, int64_t throttle);
  Result<std::string> submit_combine(const Job& dataset, const std::vector<std::string>& array_ids);
  bool advance_dataset(const Job& dataset, const QueueView& queue);
  bool track_run_task(const Job& dataset, int64_t index, const SlurmJob& task, const Run* running);
  bool settle_run(const Job& dataset, int64_t index, const std::optional<SlurmJob>& task,
                  const std::string& task_id);
  bool finish_dataset(const Job& dataset, const std::optional<SlurmJob>& combine);
  bool end_dataset(const Job& dataset, JobStatus outcome, const std::optional<std::string>& error);
  void cancel_slurm_job(const std::string& slurm_job_id);
  int64_t array_throttle(const Job& dataset) const;
  Result<int64_t> max_array_size();

  JobStore& store_;
  RunStore& runs_;
  LocalArtifactStore& artifacts_;
  SlurmCommands& slurm_;
  const Clock& clock_;
  SlurmExecutorOptions options_;

  // Touched only by the cycle.
  std::map<std::string, int64_t> terminate_sent_ms_;  // by job id: when a cancel's SIGTERM went out
  std::map<std::string, int64_t> ended_unsettled_ms_; // by job id or run key: first cycle it ended without metadata
  std::map<std::string, std::set<int64_t>> settled_runs_;  // by dataset: runs this process settled
  std::set<std::string> cancel_sent_;                  // Slurm ids of arrays and combine jobs scancel'led
  std::map<std::string, double> eta_progress_;         // by dataset: the progress its ETA was computed at
  std::optional<int64_t> max_array_size_;              // read once from `scontrol show config`

  ReconcileLoop loop_;  // last: stopped before the state its cycles use goes away
};

}  // namespace live2
