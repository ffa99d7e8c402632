// BackgroundLoop with real threads: a wake() cuts an hour-long wait short, a wake() that arrives during a pass is
// not lost, stop() runs the exit hook on the loop's own thread, and a stopped loop starts again.
#include "base/background_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace live2 {
namespace {

using namespace std::chrono_literals;

constexpr auto kAnHour = std::chrono::milliseconds(std::chrono::hours(1));

// Waits (up to 10 s, so a broken loop fails instead of hanging) until `passes` reaches `count`.
bool reaches(const std::atomic<int>& passes, int count) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (passes.load() < count && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  return passes.load() >= count;
}

TEST(BackgroundLoop, WakeEndsTheWaitAndStopEndsTheLoop) {
  std::atomic<int> passes{0};
  BackgroundLoop loop([&] {
    ++passes;
    return kAnHour;
  });
  loop.start();
  ASSERT_TRUE(reaches(passes, 1));
  EXPECT_TRUE(loop.running());
  loop.wake();
  ASSERT_TRUE(reaches(passes, 2)) << "the wake did not end the hour-long wait";
  loop.stop();
  EXPECT_FALSE(loop.running());
  EXPECT_TRUE(loop.stop_requested());
  EXPECT_EQ(passes.load(), 2);
}

TEST(BackgroundLoop, AWakeDuringAPassEndsTheNextWait) {
  std::atomic<int> passes{0};
  BackgroundLoop* self = nullptr;
  BackgroundLoop loop([&] {
    if (++passes == 1) self->wake();  // arrives while the pass is still running
    return kAnHour;
  });
  self = &loop;
  loop.start();
  EXPECT_TRUE(reaches(passes, 2)) << "a wake during a pass was lost";
}

TEST(BackgroundLoop, StopRunsTheExitHookOnTheLoopThreadAndTheLoopStartsAgain) {
  std::atomic<int> passes{0};
  std::thread::id pass_thread;
  std::thread::id exit_thread;
  BackgroundLoop loop(
      [&] {
        pass_thread = std::this_thread::get_id();
        ++passes;
        return kAnHour;
      },
      [&] { exit_thread = std::this_thread::get_id(); });
  loop.start();
  ASSERT_TRUE(reaches(passes, 1));
  loop.stop();
  EXPECT_EQ(exit_thread, pass_thread);
  EXPECT_NE(exit_thread, std::this_thread::get_id());

  loop.start();
  EXPECT_FALSE(loop.stop_requested());
  EXPECT_TRUE(reaches(passes, 2));
}

}  // namespace
}  // namespace live2
