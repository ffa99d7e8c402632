#include "exec/job_retention.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <system_error>

namespace live2 {
namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::vector<std::string> ids_of(const std::vector<const Job*>& jobs) {
  std::vector<std::string> ids;
  ids.reserve(jobs.size());
  for (const Job* job : jobs) ids.push_back(job->job_id);
  return ids;
}

}  // namespace

JobRetention::JobRetention(JobStore& jobs, LocalArtifactStore* artifacts, const Clock& clock,
                           JobRetentionOptions options)
    : jobs_(jobs), artifacts_(artifacts), clock_(clock), options_(options), loop_([this] { return step(); }) {}

void JobRetention::start() {
  if (phase_enabled(Phase::artifacts) || phase_enabled(Phase::records)) loop_.start();
}

void JobRetention::stop() { loop_.stop(); }

RetentionCounts JobRetention::counts() const {
  return RetentionCounts{artifacts_deleted_.load(), records_deleted_.load(), passes_.load(), failures_.load()};
}

bool JobRetention::phase_enabled(Phase phase) const {
  return phase == Phase::artifacts ? artifacts_ != nullptr && options_.artifact_days > 0 : options_.record_days > 0;
}

std::chrono::milliseconds JobRetention::step() {
  const int64_t now_ms = clock_.now_ms();
  if (pass_started_ms_ == 0) {
    pass_started_ms_ = now_ms;
    pass_counts_ = {};
    phase_ = phase_enabled(Phase::artifacts) ? Phase::artifacts : Phase::records;
  }
  const Batch batch = phase_ == Phase::artifacts ? delete_artifacts_batch(now_ms) : delete_records_batch(now_ms);
  // A full batch that made progress means more may be due; a short one, or one that deleted nothing (every job of
  // it failed: retried next pass), ends the phase.
  const bool more_due = batch.due == static_cast<size_t>(options_.batch_size) && batch.deleted > 0;
  if (more_due) return options_.pause_between_batches;
  if (phase_ == Phase::artifacts && phase_enabled(Phase::records)) {
    phase_ = Phase::records;
    return options_.pause_between_batches;
  }
  passes_.fetch_add(1);
  if (pass_counts_.artifacts_deleted + pass_counts_.records_deleted + pass_counts_.failures > 0) {
    spdlog::info(
        R"({{"event":"retention_pass","artifacts_deleted":{},"records_deleted":{},"failures":{},"duration_ms":{}}})",
        pass_counts_.artifacts_deleted, pass_counts_.records_deleted, pass_counts_.failures,
        clock_.now_ms() - pass_started_ms_);
  }
  pass_started_ms_ = 0;
  return options_.interval;
}

JobRetention::Batch JobRetention::delete_artifacts_batch(int64_t now_ms) {
  Result<std::vector<Job>> due =
      jobs_.list_jobs_finished_before(now_ms - options_.artifact_days * kDayMs, true, options_.batch_size);
  if (!due) {
    count_failure("artifacts", "", due.error().message);
    return {};
  }
  std::vector<const Job*> removed;
  for (const Job& job : *due) {
    if (remove_job_directory(job)) removed.push_back(&job);
  }
  if (removed.empty()) return Batch{due->size(), 0};
  // A crash before this commit leaves the jobs unmarked: the next pass removes their (already missing) directories
  // again and marks them then.
  Result<int64_t> marked = jobs_.mark_artifacts_deleted(ids_of(removed), now_ms);
  if (!marked) {
    count_failure("artifacts", "", marked.error().message);
    return Batch{due->size(), 0};
  }
  artifacts_deleted_.fetch_add(*marked);
  pass_counts_.artifacts_deleted += *marked;
  return Batch{due->size(), *marked};
}

JobRetention::Batch JobRetention::delete_records_batch(int64_t now_ms) {
  Result<std::vector<Job>> due =
      jobs_.list_jobs_finished_before(now_ms - options_.record_days * kDayMs, false, options_.batch_size);
  if (!due) {
    count_failure("records", "", due.error().message);
    return {};
  }
  // The files go first: a record is deleted only once nothing of its job is left on disk to be orphaned.
  std::vector<const Job*> removable;
  for (const Job& job : *due) {
    if (job.artifacts_deleted_at_ms || artifacts_ == nullptr || remove_job_directory(job)) removable.push_back(&job);
  }
  if (removable.empty()) return Batch{due->size(), 0};
  Result<int64_t> deleted = jobs_.delete_finished_jobs(ids_of(removable));
  if (!deleted) {
    count_failure("records", "", deleted.error().message);
    return Batch{due->size(), 0};
  }
  records_deleted_.fetch_add(*deleted);
  pass_counts_.records_deleted += *deleted;
  return Batch{due->size(), *deleted};
}

bool JobRetention::remove_job_directory(const Job& job) {
  std::error_code error;
  // remove_all deletes symlinks, never what they point to; a directory already gone is no error.
  std::filesystem::remove_all(artifacts_->job_directory(job), error);
  if (!error) return true;
  count_failure("artifacts", job.job_id,
                "cannot remove " + artifacts_->job_directory(job).string() + ": " + error.message());
  return false;
}

void JobRetention::count_failure(std::string_view phase, std::string_view job_id, const std::string& message) {
  spdlog::error(R"({{"event":"retention_failed","phase":"{}","job_id":"{}","message":"{}"}})", phase, job_id, message);
  failures_.fetch_add(1);
  ++pass_counts_.failures;
}

}  // namespace live2
