#include "aws/retry_policy.h"

#include <algorithm>

namespace live2::aws {

int64_t backoff_delay_ms(const RetryPolicy& policy, int retry_number, RandomSource& random) {
  const int doublings = std::clamp(retry_number, 0, 30);
  const int64_t cap_ms = std::min(policy.max_delay_ms, policy.base_delay_ms << doublings);
  uint64_t draw = 0;
  random.fill(reinterpret_cast<uint8_t*>(&draw), sizeof draw);
  return static_cast<int64_t>(draw % static_cast<uint64_t>(cap_ms + 1));
}

}  // namespace live2::aws
