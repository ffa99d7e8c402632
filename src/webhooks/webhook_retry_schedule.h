// When a failed webhook delivery is tried again: exponential backoff (30 s, 1 min, 2 min, ... doubling) capped at
// 1 hour, with +-20 % jitter so deliveries that failed together (a receiver outage) do not return together. A delivery
// keeps being retried until an attempt fails at least 24 hours after the delivery was created (docs/webhooks.md:
// tried for at least 24 hours); then it is given up. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>

namespace live2::webhooks {

inline constexpr int64_t kWebhookFirstRetryDelayMs = 30'000;
inline constexpr int64_t kWebhookMaxRetryDelayMs = 3'600'000;
inline constexpr int64_t kWebhookRetryWindowMs = 24 * 3'600'000LL;
inline constexpr double kWebhookJitterFraction = 0.2;

// Delay after the `failed_attempts`-th failure (1 = the first attempt failed). `jitter_unit` in [0, 1) picks the
// point in the +-20 % band (0.5 = no jitter); the result never exceeds the 1 hour cap.
int64_t webhook_retry_delay_ms(int failed_attempts, double jitter_unit);

// When to try again after a failure at `failed_at_ms`, or nullopt when the delivery should be given up.
std::optional<int64_t> webhook_next_attempt_ms(int64_t created_at_ms, int64_t failed_at_ms, int failed_attempts,
                                               double jitter_unit);

}  // namespace live2::webhooks
