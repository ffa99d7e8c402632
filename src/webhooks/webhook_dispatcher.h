// WebhookDispatcher: delivers the webhook outbox (WebhookOutbox::due_webhook_deliveries). Each attempt re-resolves
// and re-checks the URL (webhook_address_policy.h), signs the body (webhook_signature.h) and POSTs it through the
// WebhookTransport. A 2xx finishes the delivery; anything else schedules the next attempt (webhook_retry_schedule.h)
// until the 24-hour window is over, then the delivery is finished with its last_error (given up). Because the outbox
// lives in the store, pending deliveries survive a restart; delivery is at least once.
// Each pass sends the deliveries of up to `parallel_attempts` jobs at once, so one slow receiver does not hold up
// the others; the deliveries of one job are sent in order.
// Threading: start() runs one background thread that delivers whatever is due, then sleeps until the next poll or
// wake() (called on job changes). stop() wakes and joins it promptly: an attempt in flight is abandoned (within about
// a second; it counts as failed and is retried after the restart).
// deliver_due() is the same single pass, for callers that drive time themselves (tests with a FakeClock); do not call
// it while the thread runs. The transport, resolver and random source must be thread-safe when parallel_attempts > 1.
// counts() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/background_loop.h"
#include "base/clock.h"
#include "base/random_source.h"
#include "store/webhook_outbox.h"
#include "webhooks/webhook_address_policy.h"
#include "webhooks/webhook_transport.h"

namespace live2::webhooks {

struct WebhookOptions {
  std::string secret;           // HMAC key of X-Live2-Signature
  bool allow_insecure = false;  // LIVE2_WEBHOOK_ALLOW_INSECURE: http and private addresses (development only)
  int64_t request_timeout_ms = 10'000;
  int64_t poll_interval_ms = 1'000;  // how often the outbox is read when nobody calls wake()
  int batch_size = 32;               // deliveries read per pass
  int parallel_attempts = 4;         // jobs whose deliveries are sent at once (one job's events stay in order)
};

// Attempts by outcome since start, for /metrics (live2_webhook_deliveries_total{outcome=...}).
struct WebhookDeliveryCounts {
  int64_t delivered = 0;  // the receiver answered 2xx
  int64_t failed = 0;     // non-2xx, network error or timeout; retried later
  int64_t refused = 0;    // the URL or its address is not allowed; retried later unless the URL itself is invalid
  int64_t gave_up = 0;    // deliveries finished without a 2xx
};

class WebhookDispatcher {
 public:
  WebhookDispatcher(WebhookOutbox& outbox, WebhookTransport& transport, const Clock& clock, WebhookOptions options);
  // Tests substitute DNS and the jitter source.
  WebhookDispatcher(WebhookOutbox& outbox, WebhookTransport& transport, const Clock& clock, WebhookOptions options,
                    HostResolver& resolver, RandomSource& random);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  void start();
  void stop();
  void wake();

  // Attempts every delivery due now once; returns how many were attempted.
  int deliver_due();
  WebhookDeliveryCounts counts() const;

 private:
  std::chrono::milliseconds run_pass();  // one batch; no wait after a full one (more may be due)
  void attempt(WebhookDelivery delivery);
  void record_failure(WebhookDelivery& delivery, int64_t now_ms, std::string error, bool permanent);
  double jitter_unit();

  WebhookOutbox& outbox_;
  WebhookTransport& transport_;
  const Clock& clock_;
  WebhookOptions options_;
  std::unique_ptr<HostResolver> owned_resolver_;
  std::unique_ptr<RandomSource> owned_random_;
  HostResolver& resolver_;
  RandomSource& random_;

  std::atomic<int64_t> delivered_{0};
  std::atomic<int64_t> failed_{0};
  std::atomic<int64_t> refused_{0};
  std::atomic<int64_t> gave_up_{0};

  BackgroundLoop loop_;  // last: stopped before the state its passes use goes away
};

}  // namespace live2::webhooks
