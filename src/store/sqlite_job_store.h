// SqliteJobStore: the JobStore in the `jobs` table of a SqliteDatabase (docs/storage.md describes the schema and the
// design). Writes run in the database's write transactions, reads on its reader pool. Listeners run after commit on
// the writing thread, outside the writer lock. An update_job mutation runs inside the write transaction: it must be
// quick and must not call back into the store; the store stamps updated_at_ms with its clock, refuses (`conflict`) a
// mutation that changes a terminal status, and enqueues the transition's webhook delivery through the outbox in the
// same transaction. Recently read and written jobs are cached in memory (job_cache.h), which is why jobs must be
// written only through one SqliteJobStore per database file (the server's); other processes such as `live2 keys`
// open only the API key store. It is also the RunStore: a run's change rewrites its dataset's job row in the same
// transaction (through the cache, so the two never disagree). Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "store/job_cache.h"
#include "store/job_store.h"
#include "store/run_store.h"
#include "store/sqlite_database.h"
#include "store/sqlite_webhook_outbox.h"

namespace live2 {

class SqliteJobStore final : public JobStore, public RunStore {
 public:
  // `database`, `outbox` (over the same database) and `clock` must outlive the store.
  SqliteJobStore(store::SqliteDatabase& database, SqliteWebhookOutbox& outbox, const Clock& clock);

  Result<CreateJobOutcome> create_job(const Job& job, const JobQuota& quota, int64_t now_ms) override;
  Result<std::optional<Job>> get_job(const std::string& job_id) override;
  Result<std::vector<Job>> list_jobs(const JobFilter& filter) override;
  Result<std::vector<Job>> list_unfinished_jobs() override;
  Result<std::vector<Job>> list_jobs_awaiting_executor(int limit) override;
  Result<std::vector<Job>> list_handed_over_jobs() override;
  Result<Job> update_job(const std::string& job_id, const JobMutation& mutate) override;
  Result<int64_t> count_jobs_by_status(JobStatus status) override;
  Result<std::vector<Job>> list_jobs_finished_before(int64_t finished_before_ms, bool artifacts_kept_only,
                                                     int limit) override;
  Result<int64_t> mark_artifacts_deleted(const std::vector<std::string>& job_ids, int64_t at_ms) override;
  Result<int64_t> delete_finished_jobs(const std::vector<std::string>& job_ids) override;
  void add_listener(JobListener listener) override;

  Status ping() override;
  void when_durable(std::function<void(bool durable)> done) override { database_.when_durable(std::move(done)); }
  int64_t durable_sync_count() const override { return database_.wal_sync_count(); }

  // RunStore (sqlite_run_store.cpp)
  Result<CreateJobOutcome> create_dataset(const Job& job, const std::vector<Run>& runs, const JobQuota& quota,
                                          int64_t now_ms) override;
  Result<std::vector<Run>> list_runs(const std::string& job_id, int64_t from_index, int limit,
                                     std::optional<JobStatus> status = std::nullopt) override;
  Result<std::vector<Run>> list_runs_with_status(const std::string& job_id, JobStatus status, int limit) override;
  Result<Run> update_run(const std::string& job_id, int64_t index, const RunMutation& mutate) override;
  Result<int64_t> cancel_queued_runs(const std::string& job_id) override;

 private:
  struct UpdateOutcome {
    Job job;
    bool written = false;  // false: the mutation declined and nothing changed
  };

  // Both run inside a write transaction the caller has begun and commits; the job is cached only after that commit
  // (remember_written).
  Result<CreateJobOutcome> create_job_in_transaction(store::SqliteDatabase::Writer& writer, const Job& job,
                                                     const JobQuota& quota, int64_t now_ms);
  Result<UpdateOutcome> update_job_in_transaction(store::SqliteDatabase::Writer& writer, const std::string& job_id,
                                                  const JobMutation& mutate);
  void notify_listeners(const Job& job);
  // Every queued run of `dataset` becomes cancelled, and its counts and progress say so (sqlite_run_store.cpp).
  // Inside the caller's transaction; returns how many runs changed.
  static Result<int64_t> cancel_queued_runs_in_transaction(store::SqliteConnection& connection, Job& dataset,
                                                           int64_t now_ms);

  store::SqliteDatabase& database_;
  SqliteWebhookOutbox& outbox_;
  const Clock& clock_;
  store::JobCache cache_;

  std::mutex listeners_mutex_;
  std::vector<JobListener> listeners_;
};

}  // namespace live2
