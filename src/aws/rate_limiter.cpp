#include "aws/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace live2::aws {

AimdRateLimiter::AimdRateLimiter(const Clock& clock, Sleeper& sleeper, RateLimiterOptions options)
    : clock_(clock),
      sleeper_(sleeper),
      options_(options),
      rate_per_s_(options.initial_rate_per_s),
      tokens_(std::max(1.0, options.initial_rate_per_s * options.burst_seconds)),
      last_refill_ms_(clock.now_ms()),
      last_decrease_ms_(INT64_MIN / 2) {}

double AimdRateLimiter::capacity() const { return std::max(1.0, rate_per_s_ * options_.burst_seconds); }

void AimdRateLimiter::refill(int64_t now_ms) {
  const int64_t elapsed_ms = std::max<int64_t>(0, now_ms - last_refill_ms_);
  tokens_ = std::min(capacity(), tokens_ + rate_per_s_ * static_cast<double>(elapsed_ms) / 1000.0);
  last_refill_ms_ = now_ms;
}

void AimdRateLimiter::acquire(CallPriority priority) {
  const bool is_read = priority == CallPriority::status_read;
  bool counted_as_waiting = false;
  while (true) {
    int64_t wait_ms = 0;
    {
      std::lock_guard lock(mutex_);
      refill(clock_.now_ms());
      const double needed = is_read ? 1.0 : 1.0 + options_.read_reserve_fraction * (capacity() - 1.0);
      const bool yield_to_reads = !is_read && reads_waiting_ > 0;
      if (tokens_ >= needed && !yield_to_reads) {
        tokens_ -= 1.0;
        if (counted_as_waiting) --reads_waiting_;
        return;
      }
      if (is_read && !counted_as_waiting) {
        ++reads_waiting_;
        counted_as_waiting = true;
      }
      const double missing = std::max(needed - tokens_, yield_to_reads ? 1.0 : 0.0);
      wait_ms = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(missing / rate_per_s_ * 1000.0)));
    }
    sleeper_.sleep_ms(wait_ms);
  }
}

void AimdRateLimiter::on_throttled() {
  std::lock_guard lock(mutex_);
  const int64_t now_ms = clock_.now_ms();
  if (now_ms - last_decrease_ms_ < options_.decrease_cooldown_ms) return;
  refill(now_ms);
  last_decrease_ms_ = now_ms;
  rate_per_s_ = std::max(options_.min_rate_per_s, rate_per_s_ / 2);
  tokens_ = std::min(tokens_, capacity());
}

void AimdRateLimiter::on_success() {
  std::lock_guard lock(mutex_);
  rate_per_s_ = std::min(options_.max_rate_per_s, rate_per_s_ + 1.0 / rate_per_s_);
}

double AimdRateLimiter::rate_per_s() const {
  std::lock_guard lock(mutex_);
  return rate_per_s_;
}

}  // namespace live2::aws
