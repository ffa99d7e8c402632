// Webhook request signing (docs/api.md, Webhooks): X-Live2-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>.<raw body>")>. The timestamp inside the signed text lets receivers reject replays of old deliveries.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/webhook_outbox.h"

namespace live2::webhooks {

std::string webhook_signature_header(std::string_view secret, int64_t unix_s, std::string_view raw_body);

// What a receiver does: true when `header` carries a v1 signature of `raw_body` made with `secret` whose timestamp is
// within `tolerance_s` of `now_unix_s`. Comparison is constant-time.
bool verify_webhook_signature(std::string_view secret, std::string_view header, std::string_view raw_body,
                              int64_t now_unix_s, int64_t tolerance_s);

// The POST body of one attempt: {"event": ..., "job": <the job object stored with the delivery>, "delivered_at": ...}.
// Error `corrupt_payload` when the stored job object is not JSON (retrying cannot help).
Result<std::string> webhook_body(const WebhookDelivery& delivery, int64_t now_ms);

}  // namespace live2::webhooks
