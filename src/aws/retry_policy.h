// RetryPolicy: how often and how long to wait between attempts of one AWS call. Capped exponential backoff with
// full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th retry waits a uniformly random
// time in [0, min(max_delay_ms, base_delay_ms * 2^n)].
#pragma once

#include <cstdint>

#include "base/random_source.h"

namespace live2::aws {

struct RetryPolicy {
  int max_attempts = 5;          // including the first
  int64_t base_delay_ms = 100;
  int64_t max_delay_ms = 20'000;
};

// `retry_number` counts from 1 (the wait before the second attempt).
int64_t backoff_delay_ms(const RetryPolicy& policy, int retry_number, RandomSource& random);

}  // namespace live2::aws
