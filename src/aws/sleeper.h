// Sleeper: how the AWS layer waits (retry backoff, rate limiting), so tests can wait without waiting.
// ThreadSleeper really sleeps; tests pass a fake that advances a FakeClock. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <thread>

namespace live2::aws {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void sleep_ms(int64_t duration_ms) = 0;
};

class ThreadSleeper final : public Sleeper {
 public:
  void sleep_ms(int64_t duration_ms) override {
    if (duration_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(duration_ms));
  }
};

}  // namespace live2::aws
