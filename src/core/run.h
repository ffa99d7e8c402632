// One run of a generate_dataset job. Executor-neutral: a run is its dataset's job id, an index, its params (a
// run_simulation job's params, with the sweep point's values and its own seed), a status and attempts; the local
// executor's child processes, Batch array children (`<parent>:<index>`) and Slurm array tasks all map onto it.
// Runs are not jobs: they are listed only under their dataset (GET /api/v1/jobs/{id}/runs). Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/job.h"

namespace live2 {

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
  std::string external_id;                 // the executor's handle (local pid, Batch child id, Slurm task)
  int64_t updated_at_ms = 0;
};

}  // namespace live2
