#include "exec/reconcile_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace live2 {
namespace {

using namespace std::chrono_literals;

TEST(PollCadence, FastAfterAChangeThenGrowsByHalfFromTheIntervalUpToTheSlowCeiling) {
  const PollCadence cadence{1'000, 200, 3'000};
  EXPECT_EQ(cadence.next_interval_ms(1'000, true), 200);
  EXPECT_EQ(cadence.next_interval_ms(200, false), 1'000);  // never below the interval once quiet
  EXPECT_EQ(cadence.next_interval_ms(1'000, false), 1'500);
  EXPECT_EQ(cadence.next_interval_ms(1'500, false), 2'250);
  EXPECT_EQ(cadence.next_interval_ms(2'250, false), 3'000);
  EXPECT_EQ(cadence.next_interval_ms(3'000, false), 3'000);
  EXPECT_EQ(cadence.next_interval_ms(3'000, true), 200);
}

TEST(ReconcileLoop, ReportsTheFailureOfTheLatestCompleteCycleOnly) {
  ReconcileLoop* self = nullptr;
  int cycle = 0;
  ReconcileLoop loop("test", PollCadence{}, [&] {
    ++cycle;
    if (cycle == 1) {
      self->record_failure(Error::make(ErrorCode::unavailable, "first"));
      self->record_failure(Error::make(ErrorCode::timeout, "second"));
    }
    // While a cycle runs, last_error() still tells the previous complete cycle's outcome.
    if (cycle == 2) {
      EXPECT_EQ(self->last_error()->message, "second");
    }
    return cycle == 1;
  });
  self = &loop;
  EXPECT_FALSE(loop.last_error().has_value());
  EXPECT_TRUE(loop.run_cycle());
  ASSERT_TRUE(loop.last_error().has_value());
  EXPECT_EQ(loop.last_error()->code, ErrorCode::timeout);  // the last one recorded wins
  const Status ready = loop.readiness("Scheduler");
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.error().code, ErrorCode::unavailable);
  EXPECT_EQ(ready.error().message, "Scheduler: timeout: second");
  EXPECT_FALSE(loop.run_cycle());
  EXPECT_FALSE(loop.last_error().has_value());  // a cycle that worked clears it
  EXPECT_TRUE(loop.readiness("Scheduler").ok());
  EXPECT_EQ(loop.cycles(), 2);
}

TEST(ReconcileLoop, StartRunsACycleAtOnceAndWakeAnotherWithoutWaitingOutTheInterval) {
  std::atomic<int> cycles{0};
  ReconcileLoop loop("test", PollCadence{60'000, 60'000, 60'000}, [&] {
    ++cycles;
    return false;
  });
  const auto wait_for_cycles = [&](int count) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (cycles < count && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    return cycles.load();
  };
  loop.start();
  EXPECT_EQ(wait_for_cycles(1), 1);
  loop.wake();
  EXPECT_EQ(wait_for_cycles(2), 2);
  loop.stop();
  EXPECT_EQ(loop.cycles(), 2);
}

}  // namespace
}  // namespace live2
