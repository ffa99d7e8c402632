// WallClock: the worker's only source of time (run rates, ETAs, report and checkpoint cadence, timestamps).
// SystemWallClock reads the real clocks; FakeWallClock is set by tests. Both are safe to read from one thread.
#pragma once

#include <chrono>

namespace live2::sim {

class WallClock {
 public:
  virtual ~WallClock() = default;
  virtual double monotonic_seconds() = 0;                    // for durations; arbitrary origin
  virtual std::chrono::system_clock::time_point now() = 0;  // for timestamps
};

class SystemWallClock final : public WallClock {
 public:
  double monotonic_seconds() override {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  }
  std::chrono::system_clock::time_point now() override { return std::chrono::system_clock::now(); }
};

class FakeWallClock final : public WallClock {
 public:
  double monotonic_seconds() override { return seconds_; }
  std::chrono::system_clock::time_point now() override {
    return std::chrono::system_clock::time_point{} + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                                         std::chrono::duration<double>(epoch_offset_seconds_ + seconds_));
  }
  void advance(double seconds) { seconds_ += seconds; }

 private:
  double seconds_ = 0;
  double epoch_offset_seconds_ = 1.7e9;  // a plausible present-day timestamp
};

}  // namespace live2::sim
