#include "store/sqlite_webhook_outbox.h"

#include <algorithm>
#include <string>

#include "base/json_text.h"
#include "core/ids.h"
#include "core/job_json.h"

namespace live2 {
namespace {

using store::Statement;

constexpr const char* kDeliveryColumns =
    "delivery_id, job_id, event, url, payload_json, attempts, created_at_ms, next_attempt_at_ms, last_error, finished";

WebhookDelivery read_delivery(const Statement& row) {
  WebhookDelivery delivery;
  delivery.delivery_id = row.text(0);
  delivery.job_id = row.text(1);
  delivery.event = row.text(2);
  delivery.url = row.text(3);
  delivery.payload_json = row.text(4);
  delivery.attempts = static_cast<int>(row.integer(5));
  delivery.created_at_ms = row.integer(6);
  delivery.next_attempt_at_ms = row.integer(7);
  delivery.last_error = row.text(8);
  delivery.finished = row.integer(9) != 0;
  return delivery;
}

bool announces_webhook(JobStatus status) { return status != JobStatus::queued; }

}  // namespace

Result<std::vector<WebhookDelivery>> SqliteWebhookOutbox::due_webhook_deliveries(int64_t now_ms, int limit) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare(
      std::string("SELECT ") + kDeliveryColumns +
      " FROM webhook_deliveries WHERE finished = 0 AND next_attempt_at_ms <= :now_ms"
      " ORDER BY next_attempt_at_ms, created_at_ms LIMIT :limit");
  if (!select) return select.error();
  select->bind(":now_ms", now_ms).bind(":limit", std::max(limit, 0));
  return store::read_rows<WebhookDelivery>(*select, read_delivery);
}

Status SqliteWebhookOutbox::update_webhook_delivery(const WebhookDelivery& delivery) {
  store::SqliteDatabase::Writer writer(database_);
  Result<Statement> update = writer->prepare(
      "UPDATE webhook_deliveries SET attempts = :attempts, next_attempt_at_ms = :next_attempt_at_ms, "
      "last_error = :last_error, finished = :finished WHERE delivery_id = :delivery_id");
  if (!update) return update.error();
  update->bind(":attempts", delivery.attempts)
      .bind(":next_attempt_at_ms", delivery.next_attempt_at_ms)
      .bind(":last_error", delivery.last_error)
      .bind(":finished", delivery.finished)
      .bind(":delivery_id", delivery.delivery_id);
  if (Status updated = update->run(); !updated) return updated;
  if (update->changes() == 0) return Error::make(ErrorCode::not_found, "no webhook delivery " + delivery.delivery_id);
  return Status::success();
}

Status SqliteWebhookOutbox::enqueue_transition(store::SqliteDatabase::Writer& writer, JobStatus previous_status,
                                               const Job& job, int64_t now_ms) {
  if (job.status == previous_status || !announces_webhook(job.status) || !job.webhook_url) return Status::success();
  Result<Statement> insert = writer->prepare(
      "INSERT INTO webhook_deliveries (delivery_id, job_id, event, url, payload_json, attempts, created_at_ms, "
      "next_attempt_at_ms, last_error, finished) "
      "VALUES (:delivery_id, :job_id, :event, :url, :payload_json, 0, :now_ms, :now_ms, '', 0)");
  if (!insert) return insert.error();
  insert->bind(":delivery_id", new_random_id("dlv_", random_))
      .bind(":job_id", job.job_id)
      .bind(":event", "job." + std::string(to_string(job.status)))
      .bind(":url", *job.webhook_url)
      .bind(":payload_json", json_text(job_to_json(job)))
      .bind(":now_ms", now_ms);
  return insert->run();
}

}  // namespace live2
