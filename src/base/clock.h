// Clock: the one way code in live2 reads time, so tests can drive it by hand: wall time for timestamps, monotonic
// time for durations and deadlines (it never jumps when the wall clock is set).
// SystemClock is thread-safe; FakeClock is thread-safe (atomic), only moves when told to, and moves both readings
// together.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace live2 {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t now_ms() const = 0;
  // Milliseconds since an arbitrary origin; only differences mean anything.
  virtual int64_t monotonic_ms() const = 0;
  double monotonic_seconds() const { return static_cast<double>(monotonic_ms()) / 1000.0; }
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
  int64_t monotonic_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'795'000'000'000) : now_ms_(start_ms) {}
  int64_t now_ms() const override { return now_ms_.load(); }
  int64_t monotonic_ms() const override { return now_ms_.load(); }
  void advance_ms(int64_t delta_ms) { now_ms_ += delta_ms; }
  void set_ms(int64_t value_ms) { now_ms_ = value_ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace live2
