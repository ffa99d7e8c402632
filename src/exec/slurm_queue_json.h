// Reading `squeue --json`: the jobs Slurm's controller still holds (pending, running, and finished ones until
// MinJobAge has passed). Written against Slurm 22.05's output (openapi v0.0.38: job_state a string, exit_code the
// raw wait status, times plain integers) and also reading the shapes later versions print (job_state an array,
// exit_code an object, numbers as {"set", "infinite", "number"}). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "exec/process_launcher.h"

namespace live2 {

struct SlurmJob {
  std::string job_id;          // "123", or "123_4" for task 4 of array 123
  std::string name;
  std::string state;           // PENDING, RUNNING, COMPLETING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...
  std::string reason;          // state_reason: "None", "Resources", "NonZeroExitCode", ...
  std::optional<ProcessExit> exit;  // how the batch script ended, for jobs that ended
  std::optional<int64_t> start_time_s;  // when it started (only once it has; pending jobs' estimates are dropped)
  std::optional<int64_t> end_time_s;    // when it ended (only once it has)
  int restart_count = 0;       // times it was requeued (node failure, preemption, scontrol requeue)
  int64_t array_job_id = 0;    // 0 for a job that is not part of an array
  std::optional<int64_t> array_task_id;  // nullopt for the not-yet-split remainder of an array
  std::string array_task_string;         // the remainder's pending tasks, e.g. "2-999%10"
};

// Whether Slurm is done with a job in this state (it will not run again unless someone requeues it).
bool slurm_state_is_final(std::string_view state);

// States in which the batch script has a node and the worker may be running.
bool slurm_job_is_under_way(std::string_view state);

// Ends in which Slurm took the node away rather than the worker deciding: the worker had SIGTERM first (time
// limit's warning, preemption, requeue) or lost its node, and resumes from its checkpoint when run again.
bool slurm_interrupted_it(std::string_view state);

// The jobs of `squeue --json`'s answer. Errors: `invalid_response` when the text is not such a document.
Result<std::vector<SlurmJob>> parse_squeue_json(std::string_view text);

// The task ids an array's pending remainder holds, from its array_task_string ("1-3,7,9-12%2": the throttle after
// '%' is not a task), as inclusive ranges. Steps ("1-9:2") are not read: live2 never submits them.
std::vector<std::pair<int64_t, int64_t>> array_task_ranges(std::string_view text);

// A raw wait status (what 22.05 reports as exit_code) as an exit code or a signal.
ProcessExit exit_of_wait_status(int64_t status);

}  // namespace live2
