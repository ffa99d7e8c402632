#include "exec/batch_status.h"

#include <cctype>

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

std::string compute_environment_of_task(std::string_view task_arn) {
  const size_t task = task_arn.find(":task/");
  if (task == std::string_view::npos) return {};
  std::string_view rest = task_arn.substr(task + 6);
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return {};
  std::string_view cluster = rest.substr(0, slash);
  constexpr std::string_view kPrefix = "AWSBatch-";
  constexpr size_t kUuidLength = 36;  // 8-4-4-4-12
  const auto is_uuid = [](std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
    }
    return true;
  };
  if (!cluster.starts_with(kPrefix) || cluster.size() < kPrefix.size() + kUuidLength + 2) return std::string(cluster);
  const std::string_view uuid = cluster.substr(cluster.size() - kUuidLength);
  if (cluster[cluster.size() - kUuidLength - 1] != '-' || !is_uuid(uuid)) return std::string(cluster);
  return std::string(cluster.substr(kPrefix.size(), cluster.size() - kPrefix.size() - kUuidLength - 1));
}

std::optional<std::string> stuck_job_explanation(std::string_view status_reason) {
  struct Explained {
    std::string_view code;
    std::string_view words;
  };
  static constexpr Explained kExplained[] = {
      {"CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
       "AWS had no Fargate capacity for this job for longer than the queue waits, so the queue cancelled it. Submit "
       "it again later; the operator can add on-demand capacity (`live2 infra apply --on-demand-fallback`)"},
      {"MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
       "The job needs more vCPUs than the compute environment may ever run at once (its maxvCpus), so it could never "
       "start and the queue cancelled it. The operator must raise maxvCpus (`live2 infra apply --max-vcpus`) or "
       "lower the tier's MAX_VCPUS"},
      {"MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
       "No compute environment of the queue can run a task of the size this job asked for, so it could never start "
       "and the queue cancelled it. The operator must check the tier's MAX_VCPUS and MAX_MEMORY_MIB with "
       "`live2 doctor`"}};
  for (const Explained& explained : kExplained) {
    if (status_reason.find(explained.code) != std::string_view::npos) {
      return std::string(explained.words) + " (" + std::string(explained.code) + ")";
    }
  }
  return std::nullopt;
}

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
    if (!cancel_requested && batch_job.attempts.empty()) view.error = stuck_job_explanation(batch_job.status_reason);
    if (!cancel_requested && !view.error) {
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
