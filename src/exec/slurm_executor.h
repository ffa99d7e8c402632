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
// Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "artifacts/local_artifact_store.h"
#include "base/clock.h"
#include "exec/executor.h"
#include "exec/reconcile_loop.h"
#include "exec/slurm_commands.h"
#include "exec/slurm_job_size.h"
#include "store/job_store.h"

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
};

class SlurmExecutor final : public Executor {
 public:
  SlurmExecutor(JobStore& store, LocalArtifactStore& artifacts, SlurmCommands& slurm, const Clock& clock,
                SlurmExecutorOptions options);
  ~SlurmExecutor() override;  // stops

  std::string_view kind() const override { return "slurm"; }
  void start() override;
  void stop() override;
  void wake() override;
  Status readiness() override;
  Result<std::string> read_log_tail(const Job& job, int lines) override;
  ExecutorActivity activity() const override;

  // One cycle, as the background thread runs it; true when anything changed. Public for tests.
  bool run_cycle() { return loop_.run_cycle(); }

  // Slurm's output file for a job (`.slurm-<slurm id>.out` in its directory, hidden from the artifact listing).
  std::filesystem::path output_file(const Job& job, const std::string& slurm_job_id) const;

 private:
  bool run_cycle_steps();
  bool submit_queued_jobs();
  bool submit(const Job& claimed);
  Status write_job_files(const Job& job, const std::filesystem::path& directory) const;
  bool recover_submitting(const Job& job, const std::vector<const SlurmJob*>& named);
  void send_cancel(const Job& job, const SlurmJob* slurm_job);
  bool apply(const Job& job, const SlurmJob& slurm_job);
  bool settle(const Job& job, const std::optional<SlurmJob>& slurm_job);
  bool requeue(const Job& job, const SlurmJob& slurm_job);
  bool update(const Job& job, const std::function<bool(Job&)>& mutate);

  JobStore& store_;
  LocalArtifactStore& artifacts_;
  SlurmCommands& slurm_;
  const Clock& clock_;
  SlurmExecutorOptions options_;

  // Touched only by the cycle.
  std::map<std::string, int64_t> terminate_sent_ms_;  // by job id: when a cancel's SIGTERM went out
  std::map<std::string, int64_t> ended_unsettled_ms_; // by job id: first cycle it ended without visible metadata

  ReconcileLoop loop_;  // last: stopped before the state its cycles use goes away
};

}  // namespace live2
