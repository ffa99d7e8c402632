// WebhookOutbox: the webhook deliveries still to be made, stored durably. Deliveries are not added through this
// interface: the job store enqueues one inside the transaction that commits the job's status change (job_store.h),
// so a delivery exists exactly when its transition does. The webhook dispatcher reads what is due and records each
// attempt's outcome here. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace live2 {

struct WebhookDelivery {
  std::string delivery_id;       // stable across retries (X-Live2-Delivery)
  std::string job_id;
  std::string event;             // job.running | job.completed | job.failed | job.cancelled
  std::string url;
  std::string payload_json;      // the job object at the moment of the transition
  int attempts = 0;
  int64_t created_at_ms = 0;
  int64_t next_attempt_at_ms = 0;
  std::string last_error;
  bool finished = false;         // delivered (2xx) or given up
};

class WebhookOutbox {
 public:
  virtual ~WebhookOutbox() = default;

  // Unfinished deliveries whose next attempt is due at `now_ms`, oldest first, at most `limit`.
  virtual Result<std::vector<WebhookDelivery>> due_webhook_deliveries(int64_t now_ms, int limit) = 0;
  // Saves attempts, next_attempt_at_ms, last_error and finished; `not_found` when there is no such delivery.
  virtual Status update_webhook_delivery(const WebhookDelivery& delivery) = 0;
};

}  // namespace live2
