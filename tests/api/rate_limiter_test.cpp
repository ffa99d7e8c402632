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

TEST(RequestRateLimiter, RetryAfterWithoutTakingAToken) {
  FakeClock clock;
  RequestRateLimiter limiter(clock);
  EXPECT_EQ(limiter.retry_after_s("a", 1), 0);
  EXPECT_EQ(limiter.tracked_names(), 0u);  // asking does not make a bucket
  ASSERT_EQ(limiter.acquire("a", 1), 0);
  EXPECT_EQ(limiter.retry_after_s("a", 1), 60);
  EXPECT_EQ(limiter.retry_after_s("a", 1), 60);
}

// Names can be attacker-chosen (client addresses): the table never holds more than max_names buckets.
TEST(RequestRateLimiter, HoldsAtMostMaxNamesAndForgetsOnlyRefilledBuckets) {
  FakeClock clock;
  RequestRateLimiter limiter(clock, 3);
  for (const char* name : {"a", "b", "c"}) ASSERT_EQ(limiter.acquire(name, 1), 0);
  // Every bucket is still empty: a new name cannot push one out, it shares the overflow bucket.
  EXPECT_EQ(limiter.acquire("d", 1), 0);
  EXPECT_GT(limiter.acquire("e", 1), 0);
  EXPECT_GT(limiter.acquire("a", 1), 0);  // "a" was not forgotten
  EXPECT_EQ(limiter.tracked_names(), 3u);
  // Once the least recently used bucket has refilled, forgetting it changes nothing: a new name takes its place.
  clock.advance_ms(60'000);
  ASSERT_EQ(limiter.acquire("b", 1), 0);
  ASSERT_EQ(limiter.acquire("c", 1), 0);
  EXPECT_EQ(limiter.acquire("f", 1), 0);  // "a" (refilled, least recently used) made room
  EXPECT_GT(limiter.acquire("f", 1), 0);
  EXPECT_EQ(limiter.tracked_names(), 3u);
  for (int i = 0; i < 10'000; ++i) limiter.acquire("flood-" + std::to_string(i), 1);
  EXPECT_EQ(limiter.tracked_names(), 3u);
}

}  // namespace
}  // namespace live2::api
