#include "exec/batch_status.h"

namespace live2 {

bool batch_job_is_waiting(std::string_view batch_status) {
  return batch_status == "SUBMITTED" || batch_status == "PENDING" || batch_status == "RUNNABLE";
}

bool batch_job_is_finished(std::string_view batch_status) {
  return batch_status == "SUCCEEDED" || batch_status == "FAILED";
}

bool is_spot_reclaim_reason(std::string_view reason) {
  return reason.starts_with("Your Spot Task was interrupted") || reason.starts_with("Host EC2");
}

bool is_misconfiguration_reason(std::string_view reason) { return reason.starts_with("MISCONFIGURATION:"); }

BatchJobView view_of_batch_job(const aws::BatchJob& batch_job, bool cancel_requested, int64_t runnable_since_ms,
                               int64_t now_ms, int64_t runnable_reason_dwell_ms) {
  BatchJobView view;
  const std::string& status = batch_job.status;
  const bool under_way = status == "STARTING" || status == "RUNNING";
  view.attempts = static_cast<int>(batch_job.attempts.size()) + (under_way ? 1 : 0);

  if (status == "SUCCEEDED") {
    view.status = JobStatus::completed;
  } else if (status == "FAILED") {
    view.status = cancel_requested ? JobStatus::cancelled : JobStatus::failed;
    if (!cancel_requested) {
      std::string error = "AWS Batch job failed";
      if (!batch_job.status_reason.empty()) error += ": " + batch_job.status_reason;
      if (batch_job.exit_code) error += " (exit code " + std::to_string(*batch_job.exit_code) + ")";
      if (!batch_job.attempts.empty() && !batch_job.attempts.back().container_reason.empty()) {
        error += "; container: " + batch_job.attempts.back().container_reason;
      }
      view.error = error;
    }
  } else if (status == "RUNNING") {
    view.status = JobStatus::running;
  }

  if (!batch_job.status_reason.empty()) {
    const bool shown = status != "RUNNABLE" || now_ms - runnable_since_ms >= runnable_reason_dwell_ms;
    if (shown) view.status_reason = batch_job.status_reason;
  }
  // A Spot reclaim ends an attempt, Batch retries it, and the worker resumes from its checkpoint: say so while the
  // job is under way again.
  if (!batch_job_is_finished(status) && !batch_job.attempts.empty() &&
      is_spot_reclaim_reason(batch_job.attempts.back().status_reason) && !view.status_reason) {
    view.status_reason = "attempt " + std::to_string(batch_job.attempts.size()) + " ended by a Spot reclaim (" +
                         batch_job.attempts.back().status_reason + "); resuming from the checkpoint";
  }
  return view;
}

}  // namespace live2
