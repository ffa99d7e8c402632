#include "client/log_follower.h"

#include <gtest/gtest.h>

namespace live2::client {
namespace {

TEST(LogFollower, PrintsOnlyLinesAfterWhatWasSeen) {
  LogFollower follower;
  EXPECT_EQ(follower.unseen(""), "");
  EXPECT_EQ(follower.unseen("a\nb\n"), "a\nb\n");
  EXPECT_EQ(follower.unseen("a\nb\n"), "");
  EXPECT_EQ(follower.unseen("a\nb\nc\nd\n"), "c\nd\n");
  // The poll only returns the newest lines: the overlap still anchors.
  EXPECT_EQ(follower.unseen("c\nd\ne\n"), "e\n");
}

TEST(LogFollower, RepeatedLinesAfterTheWindowAreNew) {
  LogFollower follower;
  EXPECT_EQ(follower.unseen("step 1\nstep 2\n"), "step 1\nstep 2\n");
  EXPECT_EQ(follower.unseen("step 1\nstep 2\nstep 2\n"), "step 2\n");
}

TEST(LogFollower, PrintsTheWholePollWhenTheOverlapWasLost) {
  LogFollower follower;
  EXPECT_EQ(follower.unseen("a\nb\n"), "a\nb\n");
  EXPECT_EQ(follower.unseen("x\ny\n"), "x\ny\n");
}

}  // namespace
}  // namespace live2::client
