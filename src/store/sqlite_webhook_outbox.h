// SqliteWebhookOutbox: the WebhookOutbox in the `webhook_deliveries` table of a SqliteDatabase (docs/storage.md).
// enqueue_transition is how deliveries get in: SqliteJobStore calls it inside its update_job transaction, so the
// delivery commits or rolls back with the status change. Thread-safe.
#pragma once

#include <cstdint>

#include "base/random_source.h"
#include "core/job.h"
#include "store/sqlite_database.h"
#include "store/webhook_outbox.h"

namespace live2 {

class SqliteWebhookOutbox final : public WebhookOutbox {
 public:
  // `database` must outlive the outbox.
  explicit SqliteWebhookOutbox(store::SqliteDatabase& database) : database_(database) {}

  Result<std::vector<WebhookDelivery>> due_webhook_deliveries(int64_t now_ms, int limit) override;
  Status update_webhook_delivery(const WebhookDelivery& delivery) override;

  // Enqueues the delivery announcing that `job` (as it is about to be committed) moved from `previous_status` to its
  // status, when that move is announced (to running, completed, failed or cancelled) and the job has a webhook_url;
  // otherwise does nothing. Call it inside the write transaction of `writer` that changes the job.
  Status enqueue_transition(store::SqliteDatabase::Writer& writer, JobStatus previous_status, const Job& job,
                            int64_t now_ms);

 private:
  store::SqliteDatabase& database_;
  OsRandomSource random_;  // delivery ids; used only under the writer lock
};

}  // namespace live2
