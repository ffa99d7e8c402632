// JobRetention: deletes what finished jobs leave behind once they are old enough (docs/storage.md, "Retention"): the
// local artifacts of jobs that finished more than `artifact_days` ago (the job record then says when), and the records
// of jobs that finished more than `record_days` ago (with their artifacts, if any are left). Queued and running jobs
// are never touched: the store's retention queries and writes skip every unfinished job.
// It never blocks the API: a pass runs on its own thread in batches of at most `batch_size` jobs (one read, the
// file deletions outside any lock, then one short write transaction), with a pause between batches, so a request
// that writes waits for at most one batch's transaction and a pass over a large backlog leaves the writer free most of
// the time. A pass runs at start and then every `interval`. Thread-safe: counts() may be read from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "artifacts/local_artifact_store.h"
#include "base/background_loop.h"
#include "base/clock.h"
#include "store/job_store.h"

namespace live2 {

struct JobRetentionOptions {
  int64_t artifact_days = 0;  // LIVE2_RETENTION_DAYS; 0 keeps artifacts
  int64_t record_days = 0;    // LIVE2_RETENTION_RECORD_DAYS; 0 keeps records
  int batch_size = 200;
  std::chrono::milliseconds pause_between_batches{20};
  std::chrono::milliseconds interval{3'600'000};
};

struct RetentionCounts {
  int64_t artifacts_deleted = 0;  // jobs whose local artifacts were deleted, since start
  int64_t records_deleted = 0;    // job records deleted, since start
  int64_t passes = 0;             // passes finished
  int64_t failures = 0;           // store errors and job directories that could not be removed (retried next pass)
};

class JobRetention {
 public:
  // `artifacts`: the local artifact store whose job directories are deleted; null when artifacts are elsewhere (AWS
  // Batch: S3's lifecycle rule expires them). `jobs`, `artifacts` and `clock` must outlive this object.
  JobRetention(JobStore& jobs, LocalArtifactStore* artifacts, const Clock& clock, JobRetentionOptions options);
  JobRetention(const JobRetention&) = delete;
  JobRetention& operator=(const JobRetention&) = delete;

  // Starts the passes when a kind of retention is on; otherwise does nothing.
  void start();
  void stop();
  RetentionCounts counts() const;

 private:
  enum class Phase { artifacts, records };
  struct Batch {
    size_t due = 0;        // jobs the batch found due
    int64_t deleted = 0;   // of those, deleted
  };

  // One batch of the current phase; returns the wait before the next.
  std::chrono::milliseconds step();
  Batch delete_artifacts_batch(int64_t now_ms);
  Batch delete_records_batch(int64_t now_ms);
  // Removes the job's directory; false (logged) when that failed.
  bool remove_job_directory(const Job& job);
  // Logs a failed step (job_id empty: a store error for the whole batch) and counts it.
  void count_failure(std::string_view phase, std::string_view job_id, const std::string& message);
  bool phase_enabled(Phase phase) const;

  JobStore& jobs_;
  LocalArtifactStore* const artifacts_;
  const Clock& clock_;
  const JobRetentionOptions options_;

  // The current pass (the loop's thread only).
  Phase phase_ = Phase::artifacts;
  int64_t pass_started_ms_ = 0;
  RetentionCounts pass_counts_;

  std::atomic<int64_t> artifacts_deleted_{0};
  std::atomic<int64_t> records_deleted_{0};
  std::atomic<int64_t> passes_{0};
  std::atomic<int64_t> failures_{0};
  BackgroundLoop loop_;  // last: stops before the members its passes use
};

}  // namespace live2
