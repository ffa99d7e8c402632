// SqliteJobStore: the JobStore in one SQLite file (docs/storage.md describes the schema and the design).
// Writes go through one connection behind a mutex, each in a BEGIN IMMEDIATE transaction, which also serialises them
// against other processes using the same file (e.g. `live2 keys create` while `live2 serve` runs). Reads lease a
// connection from a pool and run in parallel under WAL. Listeners run after commit on the writing thread, outside
// the writer lock. An update_job mutation runs inside the write transaction: it must be quick and must not call
// back into the store; the store stamps updated_at_ms with its clock and refuses (`conflict`) a mutation that changes
// a terminal status. Recently read and written jobs are cached in memory (job_cache.h), which is why jobs must be
// written only through one SqliteJobStore per database file (the server's); other processes such as `live2 keys`
// touch only API keys. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "base/clock.h"
#include "base/random_source.h"
#include "store/job_cache.h"
#include "store/job_store.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_reader_pool.h"

namespace live2 {

class SqliteJobStore final : public JobStore {
 public:
  // Creates the file if needed and brings its schema up to date. `clock` must outlive the store.
  static Result<std::unique_ptr<SqliteJobStore>> open(const std::filesystem::path& database_file, const Clock& clock);

  Result<CreateJobOutcome> create_job(const Job& job, const JobQuota& quota, int64_t now_ms) override;
  Result<std::optional<Job>> get_job(const std::string& job_id) override;
  Result<std::vector<Job>> list_jobs(const JobFilter& filter) override;
  Result<std::vector<Job>> list_unfinished_jobs() override;
  Result<std::vector<Job>> list_jobs_awaiting_executor(int limit) override;
  Result<std::vector<Job>> list_handed_over_jobs() override;
  Result<Job> update_job(const std::string& job_id, const JobMutation& mutate) override;
  Result<int64_t> count_jobs_by_status(JobStatus status) override;
  void add_listener(JobListener listener) override;

  Status create_api_key(const ApiKeyRecord& record) override;
  Result<std::optional<ApiKeyRecord>> find_api_key_by_hash(const std::string& key_hash) override;
  Result<std::vector<ApiKeyRecord>> list_api_keys() override;
  Status revoke_api_key(const std::string& key_id, int64_t now_ms) override;

  Result<std::vector<WebhookDelivery>> due_webhook_deliveries(int64_t now_ms, int limit) override;
  Status update_webhook_delivery(const WebhookDelivery& delivery) override;

  Status ping() override;

 private:
  SqliteJobStore(std::unique_ptr<store::SqliteConnection> writer, const std::filesystem::path& database_file,
                 const Clock& clock);

  struct UpdateOutcome {
    Job job;
    bool written = false;  // false: the mutation declined and nothing changed
  };

  // The caller holds writer_mutex_.
  Result<CreateJobOutcome> create_job_locked(const Job& job, const JobQuota& quota, int64_t now_ms);
  Result<UpdateOutcome> update_job_locked(const std::string& job_id, const JobMutation& mutate);
  Status enqueue_webhook_delivery(const Job& job, int64_t now_ms);
  void notify_listeners(const Job& job);

  const Clock& clock_;
  OsRandomSource random_;  // delivery ids

  std::mutex writer_mutex_;
  std::unique_ptr<store::SqliteConnection> writer_;
  store::SqliteReaderPool readers_;
  store::JobCache cache_;

  std::mutex listeners_mutex_;
  std::vector<JobListener> listeners_;
};

}  // namespace live2
