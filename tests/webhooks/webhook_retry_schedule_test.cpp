#include "webhooks/webhook_retry_schedule.h"

#include <gtest/gtest.h>

namespace live2::webhooks {
namespace {

TEST(WebhookRetrySchedule, DoublesFromThirtySecondsUpToOneHour) {
  const int64_t expected_s[] = {30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600};
  for (int failed = 1; failed <= 10; ++failed) {
    EXPECT_EQ(webhook_retry_delay_ms(failed, 0.5), expected_s[failed - 1] * 1000) << failed;
  }
  EXPECT_EQ(webhook_retry_delay_ms(1'000'000, 0.5), kWebhookMaxRetryDelayMs);
}

TEST(WebhookRetrySchedule, JitterStaysWithinTwentyPercentAndUnderTheCap) {
  EXPECT_EQ(webhook_retry_delay_ms(1, 0.0), 24'000);
  EXPECT_EQ(webhook_retry_delay_ms(1, 1.0), 36'000);
  EXPECT_EQ(webhook_retry_delay_ms(4, 0.0), 192'000);
  EXPECT_EQ(webhook_retry_delay_ms(20, 0.0), 2'880'000);
  EXPECT_EQ(webhook_retry_delay_ms(20, 0.999), kWebhookMaxRetryDelayMs);
}

TEST(WebhookRetrySchedule, RetriesThroughTwentyFourHoursThenGivesUp) {
  const int64_t created_ms = 1'000'000;
  int64_t now_ms = created_ms;
  int failed = 0;
  std::optional<int64_t> next = created_ms;
  while (next) {
    now_ms = *next;
    ++failed;
    next = webhook_next_attempt_ms(created_ms, now_ms, failed, 0.5);
  }
  EXPECT_GE(now_ms - created_ms, kWebhookRetryWindowMs);
  EXPECT_LT(now_ms - created_ms, kWebhookRetryWindowMs + kWebhookMaxRetryDelayMs);
  EXPECT_EQ(failed, 8 + 23);  // 7 growing delays add up to about 1 h, then hourly to the end of the day
}

}  // namespace
}  // namespace live2::webhooks
