#include "core/status_machine.h"

#include <algorithm>
#include <string>

namespace live2 {

bool is_allowed_transition(JobStatus from, JobStatus to) {
  if (is_terminal(from)) return false;
  if (from == JobStatus::running && to == JobStatus::queued) return false;
  return from != to;
}

Status transition(Job& job, JobStatus to, int64_t now_ms) {
  if (job.status == to) return Status::success();
  if (!is_allowed_transition(job.status, to)) {
    return Error::make(ErrorCode::conflict, "job " + job.job_id + " is " + std::string(to_string(job.status)) +
                                                " and cannot become " + std::string(to_string(to)));
  }
  job.status = to;
  job.updated_at_ms = now_ms;
  if (to == JobStatus::running && !job.started_at_ms) job.started_at_ms = now_ms;
  if (is_terminal(to)) {
    job.completed_at_ms = now_ms;
    job.eta_seconds.reset();
  }
  if (to == JobStatus::completed) job.progress = 100;
  if (to == JobStatus::cancelled) job.cancelled_at_ms = now_ms;
  return Status::success();
}

void raise_progress(Job& job, double progress_percent) {
  job.progress = std::max(job.progress, std::clamp(progress_percent, 0.0, 100.0));
}

}  // namespace live2
