// RequestRateLimiter: requests per minute per name (a user, or a client address for failed authentications), as a
// token bucket in memory (a burst of up to a minute's worth, refilled continuously). Per process: several server
// processes would each allow the full rate. Thread-safe.
// Memory is bounded: at most max_names buckets, least recently used first out. Names can be attacker-chosen (client
// addresses), so a name is only evicted once its bucket has refilled (forgetting it then changes nothing); while
// every bucket is still in use, names that find no room share one overflow bucket, so a flood of new names cannot
// escape the limit by pushing its own depleted buckets out.
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"

namespace live2::api {

class RequestRateLimiter {
 public:
  static constexpr size_t kDefaultMaxNames = 10'000;

  explicit RequestRateLimiter(const Clock& clock, size_t max_names = kDefaultMaxNames)
      : clock_(clock), max_names_(max_names) {}

  // Takes one token from `name`'s bucket of `requests_per_minute`. Returns 0 when allowed, otherwise the whole
  // seconds until a token is available (for Retry-After, at least 1).
  int64_t acquire(const std::string& name, int64_t requests_per_minute);
  // What acquire() would answer, without taking a token.
  int64_t retry_after_s(const std::string& name, int64_t requests_per_minute);

  size_t tracked_names() const;

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
    int64_t requests_per_minute = 0;
  };
  struct Entry {
    std::string name;
    Bucket bucket;
  };

  // The bucket `name` counts against: its own, a new one (with `insert`), or the overflow bucket while the table is
  // full of buckets in use. nullptr when `name` has none and !insert (a new bucket would be full anyway).
  Bucket* find_bucket(const std::string& name, int64_t requests_per_minute, int64_t now_ms, bool insert);
  int64_t take(const std::string& name, int64_t requests_per_minute, bool consume);

  const Clock& clock_;
  const size_t max_names_;
  mutable std::mutex mutex_;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_name_;
  Bucket overflow_;  // requests_per_minute is 0 until it is first needed
};

}  // namespace live2::api
