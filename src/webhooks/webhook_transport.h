// WebhookTransport: sends one webhook POST to a target whose address was already checked (webhook_address_policy.h).
// The implementation must connect to `target.address` and nowhere else (no DNS of its own, no redirects, no proxy),
// so what was checked is what is reached. Implementations are thread-safe (one request per call).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/http_transport.h"
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
  // The receiver's HTTP status (any status, 2xx or not), or an Error with the transport's code
  // (base/http_transport.h: `connection_failed`, `timeout`, `aborted`, ...) when no response arrived.
  virtual Result<int> post(const WebhookRequest& request) = 0;
};

// An adapter over base/http_transport.h: the exchange is pinned (connect_to) to the checked address and port, whose
// socket guard refuses any other address; the receiver's body is read and dropped.
class CurlWebhookTransport final : public WebhookTransport {
 public:
  CurlWebhookTransport();

  Result<int> post(const WebhookRequest& request) override;

 private:
  CurlTransport transport_;
};

}  // namespace live2::webhooks
