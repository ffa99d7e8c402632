#include "api/rate_limiter.h"

#include <gtest/gtest.h>

namespace live2::api {
namespace {

TEST(RequestRateLimiter, AllowsAMinutesWorthThenAsksToWait) {
  FakeClock clock;
  RequestRateLimiter limiter(clock);
  for (int i = 0; i < 60; ++i) ASSERT_EQ(limiter.acquire("alice", 60), 0) << i;
  EXPECT_EQ(limiter.acquire("alice", 60), 1);  // one token per second at 60/min
  clock.advance_ms(1'000);
  EXPECT_EQ(limiter.acquire("alice", 60), 0);
  EXPECT_GT(limiter.acquire("alice", 60), 0);
}

TEST(RequestRateLimiter, RetryAfterReflectsTheRefillRate) {
  FakeClock clock;
  RequestRateLimiter limiter(clock);
  ASSERT_EQ(limiter.acquire("bob", 2), 0);
  ASSERT_EQ(limiter.acquire("bob", 2), 0);
  EXPECT_EQ(limiter.acquire("bob", 2), 30);  // 2 per minute: a token every 30 s
}

TEST(RequestRateLimiter, UsersHaveSeparateBuckets) {
  FakeClock clock;
  RequestRateLimiter limiter(clock);
  ASSERT_EQ(limiter.acquire("a", 1), 0);
  EXPECT_GT(limiter.acquire("a", 1), 0);
  EXPECT_EQ(limiter.acquire("b", 1), 0);
}

TEST(RequestRateLimiter, ZeroLimitRefusesEverything) {
  FakeClock clock;
  RequestRateLimiter limiter(clock);
  EXPECT_GT(limiter.acquire("a", 0), 0);
}

}  // namespace
}  // namespace live2::api
