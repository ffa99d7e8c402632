// WebhookTransport: sends one webhook POST to a target whose address was already checked (webhook_address_policy.h).
// The implementation must connect to `target.address` and nowhere else (no DNS of its own, no redirects, no proxy),
// so what was checked is what is reached. Implementations are thread-safe (one request per call).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "webhooks/webhook_address_policy.h"

namespace live2::webhooks {

struct WebhookRequest {
  PinnedWebhookTarget target;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type: application/json
  std::string body;
  int64_t timeout_ms = 10'000;
  const std::atomic<bool>* abort = nullptr;  // when set and it becomes true, the attempt ends early (shutdown)
};

class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  // The receiver's HTTP status (any status, 2xx or not), or an Error (`connect_failed`, `timeout`, `aborted`, ...)
  // when no response arrived.
  virtual Result<int> post(const WebhookRequest& request) = 0;
};

// libcurl: CURLOPT_CONNECT_TO sends every connection to the checked address and port, and the socket callback
// refuses any other address.
class CurlWebhookTransport final : public WebhookTransport {
 public:
  Result<int> post(const WebhookRequest& request) override;
};

}  // namespace live2::webhooks
