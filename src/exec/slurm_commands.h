// SlurmCommands: the Slurm client commands live2 uses, as argument vectors run through a CommandRunner (this
// machine or a login node): sbatch to submit, one `squeue --json` for the whole queue, scancel to signal or end a
// job, `scontrol requeue` to run an interrupted job again, `scontrol release` to let a held job start,
// `scontrol show config|partition|node` for the cluster's limits and doctor. Counts its calls by command (for
// /metrics and the benchmark). Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "exec/command_runner.h"
#include "exec/slurm_queue_json.h"

namespace live2 {

struct SbatchRequest {
  std::string job_name;
  std::string script_path;        // the batch script, on the shared filesystem
  std::string working_directory;  // --chdir
  std::string output_path;        // --output (stdout and stderr, appended across requeues); may hold %j
  std::string partition;          // empty: the cluster's default
  std::string account;
  std::string qos;
  int64_t time_limit_minutes = 0;  // 0: the partition's default
  int cpus_per_task = 1;
  int64_t memory_mib = 0;          // >0: --mem (per node, which is the job's one task)
  int64_t signal_grace_s = 0;      // >0: SIGTERM to the batch script this long before the time limit
  std::string array;               // non-empty: a job array, `--array=` this ("0-999%4")
  std::string dependency;          // non-empty: `--dependency=` this ("afterany:12:13")
  bool hold = false;               // submitted held: starts only after `scontrol release`
};

// Slurm's MaxArraySize when `scontrol show config` does not print it.
inline constexpr int64_t kDefaultMaxArraySize = 1001;

// sbatch's refusal: the job can never be submitted as asked (bad partition, account, QOS, size) rather than a
// controller, munge or a queue limit that is in the way for now.
bool sbatch_refused(const Error& error);

class SlurmCommands {
 public:
  explicit SlurmCommands(CommandRunner& runner) : runner_(runner) {}

  // The Slurm job id sbatch printed. Errors: `service_error` (provider code "sbatch") with sbatch's own message;
  // the runner's errors (a `timeout` may have submitted the job).
  Result<std::string> submit(const SbatchRequest& request);
  // Every job the controller holds (22.05's squeue --json ignores filters; `--me` narrows later versions' answer).
  Result<std::vector<SlurmJob>> queue();
  // scancel --full --signal=NAME: the batch script (the worker, which it execs) and every step get it.
  Status signal(const std::string& slurm_job_id, std::string_view signal_name);
  // scancel: ends the job (pending: removed at once; running: SIGTERM, SIGKILL after the cluster's KillWait).
  Status cancel(const std::string& slurm_job_id);
  // scontrol requeue: the job (or array task "12_3") goes back to pending and runs again under the same id.
  Status requeue(const std::string& slurm_job_id);
  // scontrol release: a held job may start (once its dependency is satisfied).
  Status release(const std::string& slurm_job_id);
  // `scontrol show config`'s MaxArraySize: array task ids run 0 .. MaxArraySize - 1 (kDefaultMaxArraySize when
  // the line is missing).
  Result<int64_t> max_array_size();
  // `scontrol show partition --oneliner [NAME]` as KEY=VALUE pairs (State, MaxTime, TotalCPUs, ...) of that
  // partition, or of the default one when `name` is empty. `not_found` when there is none.
  Result<std::map<std::string, std::string>> partition(const std::string& name);
  // `scontrol show node --oneliner`: each node's KEY=VALUE pairs (NodeName, RealMemory, CPUTot, ...).
  Result<std::vector<std::map<std::string, std::string>>> nodes();

  // The argv of submit(), public for tests.
  static std::vector<std::string> sbatch_argv(const SbatchRequest& request);

  std::vector<std::pair<std::string, int64_t>> calls() const;
  const CommandRunner& runner() const { return runner_; }

 private:
  // Runs argv; a non-zero exit becomes a `service_error` named after the command, with its stderr.
  Result<CommandOutput> call(const std::string& operation, const std::vector<std::string>& argv);

  CommandRunner& runner_;
  mutable std::mutex mutex_;
  std::map<std::string, int64_t> calls_;  // by operation: "sbatch", "squeue", "scancel", "scontrol"
};

}  // namespace live2
