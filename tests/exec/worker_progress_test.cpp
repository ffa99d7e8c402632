#include "exec/worker_progress.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

TEST(WorkerProgress, PercentFromStepsAndEta) {
  auto progress = parse_worker_progress(
      R"({"step": 250, "steps": 1000, "progress": 0.25, "eta_seconds": 12.5, "attempt": 1})");
  ASSERT_TRUE(progress.has_value());
  EXPECT_DOUBLE_EQ(progress->percent, 25.0);
  EXPECT_EQ(progress->eta_seconds, 12.5);
}

TEST(WorkerProgress, FallsBackToTheProgressFraction) {
  auto progress = parse_worker_progress(R"({"progress": 0.425, "eta_seconds": null})");
  ASSERT_TRUE(progress.has_value());
  EXPECT_DOUBLE_EQ(progress->percent, 42.5);
  EXPECT_FALSE(progress->eta_seconds.has_value());
}

TEST(WorkerProgress, ClampsToAHundred) {
  EXPECT_DOUBLE_EQ(parse_worker_progress(R"({"step": 12, "steps": 10})")->percent, 100.0);
}

TEST(WorkerProgress, RejectsTextThatIsNotAProgressObject) {
  EXPECT_FALSE(parse_worker_progress("").has_value());
  EXPECT_FALSE(parse_worker_progress(R"({"step": 1, "ste)").has_value());
  EXPECT_FALSE(parse_worker_progress("[1, 2]").has_value());
  EXPECT_FALSE(parse_worker_progress(R"({"eta_seconds": 3})").has_value());
}

}  // namespace
}  // namespace live2
