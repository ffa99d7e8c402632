// SqliteStores: the job store, the API key store and the webhook outbox over one SQLite file (one SqliteDatabase),
// wired together: the job store enqueues webhook deliveries into this outbox inside its own transactions. What
// `live2 serve`, the benchmarks and the tests open; each part is handed to its users as the narrowest interface they
// need (JobStore, ApiKeyStore, WebhookOutbox). A process that touches only API keys opens a SqliteDatabase with a
// SqliteApiKeyStore instead (`live2 keys`), since only one job store may write a file's jobs. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>

#include "base/clock.h"
#include "store/sqlite_api_key_store.h"
#include "store/sqlite_database.h"
#include "store/sqlite_job_store.h"
#include "store/sqlite_webhook_outbox.h"

namespace live2 {

class SqliteStores {
 public:
  // Creates the file if needed and brings its schema up to date. `clock` must outlive the stores.
  static Result<std::unique_ptr<SqliteStores>> open(const std::filesystem::path& database_file, const Clock& clock);

  SqliteJobStore& jobs() { return jobs_; }
  SqliteApiKeyStore& api_keys() { return api_keys_; }
  SqliteWebhookOutbox& outbox() { return outbox_; }

 private:
  SqliteStores(std::unique_ptr<store::SqliteDatabase> database, const Clock& clock);

  std::unique_ptr<store::SqliteDatabase> database_;  // first: outlives the stores over it
  SqliteWebhookOutbox outbox_;
  SqliteApiKeyStore api_keys_;
  SqliteJobStore jobs_;
};

}  // namespace live2
