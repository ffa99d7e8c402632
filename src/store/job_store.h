// JobStore: the durable record of jobs.
// Every job change goes through update_job, which runs the caller's mutation inside one transaction (read, mutate,
// write), so concurrent writers (API handlers, executor threads, the reconciler) never lose each other's changes.
// The same transaction enqueues a webhook delivery (webhook_outbox.h) when a job with a webhook_url enters running,
// completed, failed or cancelled (outbox pattern: the delivery survives a crash exactly when the status change does).
// Listeners are called after every committed job change (for SSE and wake-ups), outside the transaction.
// API keys (api_key_store.h) and the delivery of webhooks (webhook_outbox.h) are separate stores.
// Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "core/job.h"

namespace live2 {

struct JobFilter {
  std::optional<std::string> user_id;      // nullopt: every user's jobs (admin)
  std::vector<JobStatus> statuses;         // empty: any status
  std::optional<std::string> job_type;
  std::optional<std::string> name_contains;  // the job's name holds this text (ASCII letters in any case)
  // Every (key, value) must be among the job's tags; a nullopt value asks only for the key. At most
  // kMaxTagFilters.
  std::vector<std::pair<std::string, std::optional<std::string>>> tags;
  int limit = 20;
  std::optional<std::string> before_job_id;  // cursor: only jobs with a smaller (older) id
};

inline constexpr size_t kMaxTagFilters = 4;

struct JobQuota {
  int64_t max_active_jobs = INT64_MAX;       // queued + running for this user, including the new one
  int64_t max_jobs_per_day = INT64_MAX;      // created in the 24 hours before now
};

struct CreateJobOutcome {
  Job job;
  bool created = false;  // false: an earlier job with the same idempotency key and fingerprint was returned
};

class JobStore {
 public:
  using JobListener = std::function<void(const Job& job)>;
  // Returns false to leave the job unchanged (nothing is written, no listener runs).
  using JobMutation = std::function<bool(Job& job)>;

  virtual ~JobStore() = default;

  // Inserts `job`, or returns the existing job of the same user with the same idempotency key (created=false).
  // Errors: `conflict` when that key was used with a different fingerprint; `quota_exceeded` when the quota would
  // be exceeded (message says which limit). Atomic under concurrent calls.
  virtual Result<CreateJobOutcome> create_job(const Job& job, const JobQuota& quota, int64_t now_ms) = 0;
  virtual Result<std::optional<Job>> get_job(const std::string& job_id) = 0;
  // Newest first.
  virtual Result<std::vector<Job>> list_jobs(const JobFilter& filter) = 0;
  // Every job that is not terminal, oldest first (executors and the reconciler). Loads them all: with many queued
  // jobs prefer the two below.
  virtual Result<std::vector<Job>> list_unfinished_jobs() = 0;
  // The oldest unfinished jobs not yet handed to an executor (submit_state not_submitted), at most `limit`: what an
  // executor with free slots claims next. Costs O(limit), however many jobs wait.
  virtual Result<std::vector<Job>> list_jobs_awaiting_executor(int limit) = 0;
  // Unfinished jobs handed to an executor (submitting or submitted), oldest first: recovery after a restart,
  // reconciliation, lag metrics. As many as run at once, not as many as are queued.
  virtual Result<std::vector<Job>> list_handed_over_jobs() = 0;
  // Returns the job after the mutation (or unchanged), `not_found` when there is no such job.
  virtual Result<Job> update_job(const std::string& job_id, const JobMutation& mutate) = 0;
  virtual Result<int64_t> count_jobs_by_status(JobStatus status) = 0;

  // Retention (docs/storage.md, "Retention"). Finished jobs whose completed_at_ms is before `finished_before_ms`,
  // the earliest finished first, at most `limit`; with `artifacts_kept_only`, only those whose artifacts were not
  // deleted yet. Costs O(limit), however many jobs are kept.
  virtual Result<std::vector<Job>> list_jobs_finished_before(int64_t finished_before_ms, bool artifacts_kept_only,
                                                             int limit) = 0;
  // Records in one transaction that these finished jobs' artifacts were deleted at `at_ms`; returns how many changed
  // (unfinished, unknown or already marked jobs are skipped). Listeners are not called: the job's status is unchanged.
  virtual Result<int64_t> mark_artifacts_deleted(const std::vector<std::string>& job_ids, int64_t at_ms) = 0;
  // Deletes these finished jobs' records with their tags, webhook deliveries and runs in one transaction; returns how
  // many (unfinished or unknown jobs are skipped, never deleted). The per-user count of jobs ever created is kept, so
  // the daily quota still counts every job created in its 24 hours after older ones are deleted.
  virtual Result<int64_t> delete_finished_jobs(const std::vector<std::string>& job_ids) = 0;
  virtual void add_listener(JobListener listener) = 0;

  // A cheap round trip for /ready.
  virtual Status ping() = 0;

  // Calls done(true) once every change committed before the call survives a power loss, done(false) when making it
  // durable failed. The API holds its answer to a writing request until then, so a 202 is durable.
  virtual void when_durable(std::function<void(bool durable)> done) = 0;
  // Disk syncs made for durability since the store opened (/metrics): under concurrent writers, fewer than commits.
  virtual int64_t durable_sync_count() const = 0;
};

}  // namespace live2
