#include "api/event_stream_registry.h"

#include <gtest/gtest.h>

#include <vector>

namespace live2::api {
namespace {

TEST(EventStreamRegistry, AdmitsUpToTheLimitPerUserAndFreesSlotsOnRelease) {
  FakeClock clock;
  EventStreamRegistry registry(clock, 2, 60'000);
  auto first = registry.admit("alice", [] {});
  auto second = registry.admit("alice", [] {});
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(registry.admit("alice", [] {}));
  EXPECT_TRUE(registry.admit("bob", [] {}));  // per user
  first.reset();
  EXPECT_EQ(registry.open_streams("alice"), 1u);
  EXPECT_TRUE(registry.admit("alice", [] {}));
}

TEST(EventStreamRegistry, EndsStreamsOnceTheirLifetimeIsOver) {
  FakeClock clock;
  EventStreamRegistry registry(clock, 10, 60'000);
  std::vector<int> ended;
  auto early = registry.admit("alice", [&] { ended.push_back(1); });
  clock.advance_ms(20'000);
  auto late = registry.admit("alice", [&] { ended.push_back(2); });
  EXPECT_EQ(registry.next_wait_ms(), 40'000);
  EXPECT_EQ(registry.end_expired(), 0u);
  clock.advance_ms(40'000);
  EXPECT_EQ(registry.end_expired(), 1u);
  EXPECT_EQ(ended, std::vector<int>{1});
  EXPECT_EQ(registry.end_expired(), 0u);  // once only, even while the stream is still closing
  EXPECT_EQ(registry.next_wait_ms(), 20'000);
  late.reset();  // closed by its client before its end: never ended by the registry
  clock.advance_ms(60'000);
  EXPECT_EQ(registry.end_expired(), 0u);
  EXPECT_EQ(registry.next_wait_ms(), 60'000);
}

}  // namespace
}  // namespace live2::api
