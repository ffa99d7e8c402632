#include "core/run.h"

#include "core/status_machine.h"

namespace live2 {

std::string run_key(const std::string& job_id, int64_t index) { return job_id + ":" + std::to_string(index); }

std::string combine_key(const std::string& job_id) { return job_id + ":combine"; }

std::string run_artifact_prefix(int64_t index) { return "runs/" + std::to_string(index) + "/"; }

std::optional<JobStatus> dataset_outcome(const RunCounts& runs, bool cancel_requested) {
  if (runs.queued > 0 || runs.running > 0) return std::nullopt;
  if (cancel_requested) return JobStatus::cancelled;
  if (runs.completed > 0) return JobStatus::completed;
  if (runs.cancelled > 0) return JobStatus::cancelled;
  return JobStatus::failed;
}

std::string combine_failed_error(const std::string& reason) {
  return "combining the runs failed " + std::to_string(kCombineAttempts) + " times (" + reason +
         "); the runs' artifacts are kept under runs/";
}

std::optional<std::string> dataset_failure_summary(const Job& dataset, const std::optional<Run>& first_failed) {
  if (dataset.runs.failed <= 0) return std::nullopt;
  std::string summary = std::to_string(dataset.runs.failed) + " of " + std::to_string(dataset.runs.total) +
                        " runs failed (GET /api/v1/jobs/" + dataset.job_id + "/runs?status=failed); ";
  if (first_failed) summary += "run " + std::to_string(first_failed->index) + ": " + first_failed->error.value_or("failed");
  return summary;
}

bool apply_dataset_end(Job& job, JobStatus outcome, const std::optional<Run>& first_failed,
                       const std::optional<std::string>& error, int64_t now_ms) {
  if (is_terminal(job.status)) return false;
  job.eta_seconds.reset();
  job.executor.status_reason = error ? error : dataset_failure_summary(job, first_failed);
  if (error || outcome == JobStatus::failed) job.error = job.executor.status_reason;
  if (job.status == JobStatus::queued && outcome != JobStatus::cancelled &&
      !transition(job, JobStatus::running, now_ms).ok()) {
    return false;
  }
  return transition(job, outcome, now_ms).ok();
}

std::optional<double> dataset_eta_s(double progress, int64_t started_at_ms, int64_t now_ms) {
  if (progress <= 0 || now_ms <= started_at_ms) return std::nullopt;
  if (progress >= 100) return 0.0;
  const double elapsed_s = static_cast<double>(now_ms - started_at_ms) / 1000.0;
  return elapsed_s * (100.0 - progress) / progress;
}

}  // namespace live2
