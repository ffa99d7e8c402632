#include "webhooks/webhook_retry_schedule.h"

#include <algorithm>
#include <cmath>

namespace live2::webhooks {

int64_t webhook_retry_delay_ms(int failed_attempts, double jitter_unit) {
  // 2^7 x 30 s already exceeds the cap; stopping the doubling there also keeps the shift from overflowing.
  const int doublings = std::clamp(failed_attempts - 1, 0, 7);
  const int64_t base_ms = std::min(kWebhookFirstRetryDelayMs << doublings, kWebhookMaxRetryDelayMs);
  const double factor = 1.0 + kWebhookJitterFraction * (2.0 * std::clamp(jitter_unit, 0.0, 1.0) - 1.0);
  return std::min(static_cast<int64_t>(std::llround(static_cast<double>(base_ms) * factor)), kWebhookMaxRetryDelayMs);
}

std::optional<int64_t> webhook_next_attempt_ms(int64_t created_at_ms, int64_t failed_at_ms, int failed_attempts,
                                               double jitter_unit) {
  if (failed_at_ms - created_at_ms >= kWebhookRetryWindowMs) return std::nullopt;
  return failed_at_ms + webhook_retry_delay_ms(failed_attempts, jitter_unit);
}

}  // namespace live2::webhooks
