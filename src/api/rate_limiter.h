// RequestRateLimiter: requests per minute per user, as a token bucket in memory (a burst of up to a minute's worth,
// refilled continuously). Per process: several server processes would each allow the full rate. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace live2::api {

class RequestRateLimiter {
 public:
  explicit RequestRateLimiter(const Clock& clock) : clock_(clock) {}

  // Takes one token from `user_id`'s bucket of `requests_per_minute`. Returns 0 when allowed, otherwise the whole
  // seconds until a token is available (for Retry-After, at least 1).
  int64_t acquire(const std::string& user_id, int64_t requests_per_minute);

 private:
  struct Bucket {
    double tokens;
    int64_t updated_ms;
  };

  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace live2::api
