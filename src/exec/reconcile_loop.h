// ReconcileLoop: the background cycle of the executors that hand jobs to a remote scheduler (AWS Batch, Slurm). One
// thread runs `steps` (one cycle's work: submit, look up, reconcile; true when anything changed) again and again, at
// an adaptive cadence: `fast_interval_ms` right after a cycle that changed something, then growing by half each quiet
// cycle from `interval_ms` towards `slow_interval_ms`; wake() starts a cycle at once. The steps report what failed
// through record_failure(); last_error() is the failure of the latest complete cycle (none: it all worked), never
// one of a cycle half done; readiness() words it for /ready.
// Thread-safe: start/stop/wake/last_error/cycles from any thread; run_cycle and record_failure on the cycle's thread
// only (the loop's, or a test's driving cycles by hand instead of starting it). The owner stops the loop (its
// destructor or stop()) before the state `steps` uses goes away.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "base/background_loop.h"
#include "base/result.h"

namespace live2 {

struct PollCadence {
  int64_t interval_ms = 10'000;      // after a start, and the floor a quiet cycle grows from
  int64_t fast_interval_ms = 2'000;  // right after a cycle that changed something
  int64_t slow_interval_ms = 30'000; // the ceiling while nothing changes

  // The wait after a cycle, given the wait before it.
  int64_t next_interval_ms(int64_t last_interval_ms, bool changed) const;
};

class ReconcileLoop {
 public:
  // `log_name` prefixes the warnings record_failure() logs ("aws_batch", "slurm").
  ReconcileLoop(std::string log_name, PollCadence cadence, std::function<bool()> steps);
  ~ReconcileLoop();  // stop()
  ReconcileLoop(const ReconcileLoop&) = delete;
  ReconcileLoop& operator=(const ReconcileLoop&) = delete;

  void start();  // the first wait is cadence.interval_ms
  void stop();   // lets the cycle under way finish
  void wake();

  // One cycle, as the thread runs it; true when anything changed.
  bool run_cycle();
  // Logs `error` and makes it the cycle's failure (the last one recorded wins).
  void record_failure(const Error& error);

  std::optional<Error> last_error() const;
  // Success, or `unavailable` naming `scheduler` and last_error() ("AWS Batch: timeout: ..."): an executor's readiness.
  Status readiness(const std::string& scheduler) const;
  int64_t cycles() const;  // complete cycles since construction

 private:
  std::chrono::milliseconds run_pass();

  const std::string log_name_;
  const PollCadence cadence_;
  const std::function<bool()> steps_;
  std::optional<Error> cycle_error_;  // the cycle's thread only
  int64_t interval_ms_ = 0;           // the loop's thread only: its current wait

  mutable std::mutex mutex_;  // guards the two below
  std::optional<Error> last_error_;
  int64_t cycles_ = 0;

  BackgroundLoop loop_;  // last: stopped before the state its passes use goes away
};

}  // namespace live2
