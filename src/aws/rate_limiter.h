// AimdRateLimiter: one per AWS service and process, shared by every caller of that service, so live2 stays under
// the account's API limits (Batch SubmitJob: 50/s per account and region). A token bucket whose rate follows AIMD:
// halved when the service throttles (at most once per cooldown, so one burst of throttles counts once), raised by
// one call per second for every second's worth of successful calls. Status reads have priority over submissions:
// a submission leaves a reserve of tokens for reads and waits while a read is waiting.
// Time comes from the Clock and waiting goes through the Sleeper, so tests run without real time. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>

#include "aws/sleeper.h"
#include "base/clock.h"

namespace live2::aws {

enum class CallPriority { status_read, submission };

struct RateLimiterOptions {
  double initial_rate_per_s = 20;
  double min_rate_per_s = 0.5;
  double max_rate_per_s = 50;
  double burst_seconds = 1;            // bucket capacity = rate * burst_seconds (at least one call)
  double read_reserve_fraction = 0.5;  // of the capacity above one call, kept for reads
  int64_t decrease_cooldown_ms = 1'000;
};

class AimdRateLimiter {
 public:
  AimdRateLimiter(const Clock& clock, Sleeper& sleeper, RateLimiterOptions options = {});

  // Returns when one call of that priority may go.
  void acquire(CallPriority priority);
  void on_throttled();
  void on_success();
  double rate_per_s() const;

 private:
  double capacity() const;
  void refill(int64_t now_ms);

  const Clock& clock_;
  Sleeper& sleeper_;
  RateLimiterOptions options_;
  mutable std::mutex mutex_;
  double rate_per_s_;
  double tokens_;
  int64_t last_refill_ms_;
  int64_t last_decrease_ms_;
  int reads_waiting_ = 0;
};

}  // namespace live2::aws
