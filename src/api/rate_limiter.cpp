#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace live2::api {

int64_t RequestRateLimiter::acquire(const std::string& user_id, int64_t requests_per_minute) {
  constexpr int64_t kNoRetry = 60;  // a zero limit: nothing is ever allowed; retrying in a minute is as good as any
  if (requests_per_minute <= 0) return kNoRetry;
  const double capacity = static_cast<double>(requests_per_minute);
  const double tokens_per_ms = capacity / 60'000.0;
  const int64_t now_ms = clock_.now_ms();
  std::lock_guard lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(user_id, Bucket{capacity, now_ms});
  Bucket& bucket = it->second;
  const int64_t elapsed_ms = std::max<int64_t>(0, now_ms - bucket.updated_ms);
  bucket.tokens = std::min(capacity, bucket.tokens + static_cast<double>(elapsed_ms) * tokens_per_ms);
  bucket.updated_ms = now_ms;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return 0;
  }
  const double wait_ms = (1.0 - bucket.tokens) / tokens_per_ms;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ms / 1000.0)));
}

}  // namespace live2::api
