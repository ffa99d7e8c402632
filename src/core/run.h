// One run of a generate_dataset job. Executor-neutral: a run is its dataset's job id, an index, its params (a
// run_simulation job's params, with the sweep point's values and its own seed), a status and attempts; the local
// executor's child processes, Batch array children (`<parent>:<index>`) and Slurm array tasks all map onto it.
// Runs are not jobs: they are listed only under their dataset (GET /api/v1/jobs/{id}/runs). The rules every
// executor follows for a dataset (its name for a run, when it ends and how, its ETA) are the functions below, so
// executors cannot disagree (docs/api.md, "Datasets"). Plain data and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/job.h"

namespace live2 {

inline constexpr std::string_view kDatasetJobType = "generate_dataset";

struct Run {
  std::string job_id;                      // the dataset
  int64_t index = 0;                       // 0 .. runs.total - 1 (dataset_plan.h says which point and replica)
  std::string params_json;                 // a run_simulation job's params
  std::string sweep_json;                  // this run's swept values, {"temperature": 300}
  uint64_t seed = 0;
  JobStatus status = JobStatus::queued;    // queued, running, then completed, failed or cancelled
  double progress = 0;                     // 0..100
  int attempts = 0;                        // workers started for it
  std::optional<int64_t> started_at_ms;
  std::optional<int64_t> completed_at_ms;
  std::optional<std::string> error;        // why it failed for good
  std::optional<int> exit_code;
  std::string external_id;                 // the executor's handle (local pid, Batch child id, Slurm task);
                                           // "" while running: a worker is being started (or was, before a crash)
  int64_t updated_at_ms = 0;
};

// The run's name towards executors and workers, `<job_id>:<index>` (AWS Batch names array children so): the
// worker's JOB_ID, by which a restarted server also recognises a run's living worker.
std::string run_key(const std::string& job_id, int64_t index);

// The name of a dataset's combine worker (`live2-sim combine`, run once its runs have ended), `<job_id>:combine`:
// by it a restarted server recognises a combine worker still alive.
std::string combine_key(const std::string& job_id);

// Where a run's artifacts live below its dataset's: "runs/<index>/".
std::string run_artifact_prefix(int64_t index);

// The status a dataset ends with once every run has finished, nullopt while a run is queued or running: cancelled
// when a cancel was asked for, completed when at least one run completed (runs.failed says how many did not),
// failed when every run failed, cancelled when none completed and some were cancelled.
std::optional<JobStatus> dataset_outcome(const RunCounts& runs, bool cancel_requested);

// How often an executor runs a dataset's combine step before the dataset fails (combine is idempotent, and what
// failed it may pass: a full disk), and the dataset's error then: "combining the runs failed 2 times (<reason>); the
// runs' artifacts are kept under runs/".
inline constexpr int kCombineAttempts = 2;
std::string combine_failed_error(const std::string& reason);

// A dataset's executor.status_reason once it ended with failed runs, the same for every executor: "N of M runs
// failed (GET /api/v1/jobs/<id>/runs?status=failed); run I: <its error>"; nullopt when no run failed.
std::optional<std::string> dataset_failure_summary(const Job& dataset, const std::optional<Run>& first_failed);

// Ends dataset `job` with `outcome` (every executor, inside its store update): the ETA cleared; the reason, `error`
// when given (its combine step failed) else the failed runs' summary, in executor.status_reason and, when it is an
// error or the dataset failed, in `error`; a dataset still queued (every run ended before one was seen running)
// passes through running. False, changing nothing worth keeping, when it has already ended.
bool apply_dataset_end(Job& job, JobStatus outcome, const std::optional<Run>& first_failed,
                       const std::optional<std::string>& error, int64_t now_ms);

// The dataset's remaining time from its aggregate progress (percent) and how long it has been running: the rate so
// far carried forward. Nullopt before there is a rate (no progress yet).
std::optional<double> dataset_eta_s(double progress, int64_t started_at_ms, int64_t now_ms);

}  // namespace live2
