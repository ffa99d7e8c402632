// AimdRateLimiter on a fake clock: pacing, multiplicative decrease with cooldown, slow additive increase, and
// priority of status reads over submissions.
#include <gtest/gtest.h>

#include "aws/aws_session.h"
#include "aws/rate_limiter.h"
#include "aws_test_doubles.h"

namespace live2::aws {
namespace {

TEST(RateLimiter, PacesCallsAtTheRateAfterTheBurst) {
  FakeClock clock;
  testing::RecordingSleeper sleeper(clock);
  AimdRateLimiter limiter(clock, sleeper, {10, 0.5, 10, 1, 0, 1'000});
  const int64_t start_ms = clock.now_ms();
  for (int i = 0; i < 30; ++i) limiter.acquire(CallPriority::status_read);
  // 10 from the full bucket, then 20 more at 10 per second.
  EXPECT_NEAR(static_cast<double>(clock.now_ms() - start_ms), 2'000, 50);
}

TEST(RateLimiter, HalvesOncePerCooldownAndRecoversSlowly) {
  FakeClock clock;
  testing::RecordingSleeper sleeper(clock);
  AimdRateLimiter limiter(clock, sleeper, {20, 1, 50, 1, 0.5, 1'000});
  limiter.on_throttled();
  limiter.on_throttled();  // same burst: counted once
  EXPECT_DOUBLE_EQ(limiter.rate_per_s(), 10);
  clock.advance_ms(1'000);
  limiter.on_throttled();
  EXPECT_DOUBLE_EQ(limiter.rate_per_s(), 5);
  for (int i = 0; i < 5; ++i) limiter.on_success();  // a second's worth of calls: about +1
  EXPECT_NEAR(limiter.rate_per_s(), 6, 0.2);
  for (int i = 0; i < 10'000; ++i) limiter.on_success();
  EXPECT_DOUBLE_EQ(limiter.rate_per_s(), 50);
  for (int i = 0; i < 20; ++i) {
    clock.advance_ms(1'000);
    limiter.on_throttled();
  }
  EXPECT_DOUBLE_EQ(limiter.rate_per_s(), 1);
}

TEST(RateLimiter, SubmissionsLeaveAReserveForStatusReads) {
  FakeClock clock;
  testing::RecordingSleeper sleeper(clock);
  AimdRateLimiter limiter(clock, sleeper, {10, 0.5, 10, 1, 0.5, 1'000});
  // Submissions drain the bucket down to the reserve, and no further without waiting.
  for (int i = 0; i < 5; ++i) limiter.acquire(CallPriority::submission);
  EXPECT_TRUE(sleeper.sleeps_ms().empty());
  // Reads still go at once from the reserve ...
  for (int i = 0; i < 4; ++i) limiter.acquire(CallPriority::status_read);
  EXPECT_TRUE(sleeper.sleeps_ms().empty());
  // ... while the next submission has to wait for the bucket to refill above the reserve.
  limiter.acquire(CallPriority::submission);
  EXPECT_FALSE(sleeper.sleeps_ms().empty());
}

// A worker publishing progress.json and simulation.log at every 1 % of a short run makes a few hundred small PUTs in
// seconds: S3's limiter lets them through without waiting, while Batch's keeps SubmitJob under 50 per second.
TEST(RateLimiter, S3StartsAtItsPerPrefixRateAndBatchAtTheAccountLimits) {
  const auto seconds_for_calls = [](const ServiceDescription& service, int calls) {
    FakeClock clock;
    testing::RecordingSleeper sleeper(clock);
    AimdRateLimiter limiter(clock, sleeper, rate_limit_for(service));
    const int64_t start_ms = clock.now_ms();
    for (int i = 0; i < calls; ++i) limiter.acquire(CallPriority::submission);
    return static_cast<double>(clock.now_ms() - start_ms) / 1000;
  };
  EXPECT_LT(seconds_for_calls(s3_service(), 300), 0.2);
  EXPECT_GT(seconds_for_calls(batch_service(), 300), 5);
  EXPECT_LE(rate_limit_for(batch_service()).max_rate_per_s, 50);
}

}  // namespace
}  // namespace live2::aws
