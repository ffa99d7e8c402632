#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace live2::api {
namespace {

double tokens_per_ms(int64_t requests_per_minute) { return static_cast<double>(requests_per_minute) / 60'000.0; }

// The bucket's tokens at now_ms: what it held plus the refill since, at most a minute's worth.
double tokens_at(double tokens, int64_t updated_ms, int64_t requests_per_minute, int64_t now_ms) {
  const int64_t elapsed_ms = std::max<int64_t>(0, now_ms - updated_ms);
  return std::min(static_cast<double>(requests_per_minute),
                  tokens + static_cast<double>(elapsed_ms) * tokens_per_ms(requests_per_minute));
}

}  // namespace

int64_t RequestRateLimiter::acquire(const std::string& name, int64_t requests_per_minute) {
  return take(name, requests_per_minute, true);
}

int64_t RequestRateLimiter::retry_after_s(const std::string& name, int64_t requests_per_minute) {
  return take(name, requests_per_minute, false);
}

size_t RequestRateLimiter::tracked_names() const {
  std::lock_guard lock(mutex_);
  return by_name_.size();
}

RequestRateLimiter::Bucket* RequestRateLimiter::find_bucket(const std::string& name, int64_t requests_per_minute,
                                                            int64_t now_ms, bool insert) {
  if (auto it = by_name_.find(name); it != by_name_.end()) {
    if (insert) recent_.splice(recent_.begin(), recent_, it->second);
    return &it->second->bucket;
  }
  if (by_name_.size() >= max_names_) {
    const Bucket& oldest = recent_.back().bucket;
    const bool oldest_refilled =
        tokens_at(oldest.tokens, oldest.updated_ms, oldest.requests_per_minute, now_ms) >=
        static_cast<double>(oldest.requests_per_minute);
    if (!oldest_refilled) {
      if (overflow_.requests_per_minute == 0) {
        overflow_ = Bucket{static_cast<double>(requests_per_minute), now_ms, requests_per_minute};
      }
      return &overflow_;
    }
    if (!insert) return nullptr;
    by_name_.erase(recent_.back().name);
    recent_.pop_back();
  }
  if (!insert) return nullptr;
  recent_.push_front(Entry{name, Bucket{static_cast<double>(requests_per_minute), now_ms, requests_per_minute}});
  by_name_.emplace(name, recent_.begin());
  return &recent_.front().bucket;
}

int64_t RequestRateLimiter::take(const std::string& name, int64_t requests_per_minute, bool consume) {
  constexpr int64_t kNoRetry = 60;  // a zero limit: nothing is ever allowed; retrying in a minute is as good as any
  if (requests_per_minute <= 0) return kNoRetry;
  const int64_t now_ms = clock_.monotonic_ms();
  std::lock_guard lock(mutex_);
  Bucket* bucket = find_bucket(name, requests_per_minute, now_ms, consume);
  if (!bucket) return 0;
  bucket->tokens = tokens_at(bucket->tokens, bucket->updated_ms, requests_per_minute, now_ms);
  bucket->updated_ms = now_ms;
  bucket->requests_per_minute = requests_per_minute;
  if (bucket->tokens >= 1.0) {
    if (consume) bucket->tokens -= 1.0;
    return 0;
  }
  const double wait_ms = (1.0 - bucket->tokens) / tokens_per_ms(requests_per_minute);
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_ms / 1000.0)));
}

}  // namespace live2::api
