#include "core/run.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

RunCounts counts(int64_t queued, int64_t running, int64_t completed, int64_t failed, int64_t cancelled) {
  return {queued + running + completed + failed + cancelled, queued, running, completed, failed, cancelled};
}

TEST(Run, ADatasetEndsOnlyWhenNoRunIsQueuedOrRunning) {
  EXPECT_EQ(dataset_outcome(counts(1, 0, 3, 0, 0), false), std::nullopt);
  EXPECT_EQ(dataset_outcome(counts(0, 1, 3, 0, 0), true), std::nullopt);
  EXPECT_EQ(dataset_outcome(counts(0, 0, 3, 0, 0), false), JobStatus::completed);
  // Completed with the rest when some failed for good; failed only when every run failed.
  EXPECT_EQ(dataset_outcome(counts(0, 0, 1, 7, 0), false), JobStatus::completed);
  EXPECT_EQ(dataset_outcome(counts(0, 0, 0, 8, 0), false), JobStatus::failed);
  // A cancel asked for wins over what the runs did; runs cancelled without one (an executor's doing) too.
  EXPECT_EQ(dataset_outcome(counts(0, 0, 5, 1, 2), true), JobStatus::cancelled);
  EXPECT_EQ(dataset_outcome(counts(0, 0, 0, 1, 2), false), JobStatus::cancelled);
}

TEST(Run, TheEtaCarriesTheRateSoFarForward) {
  // 25 % in 60 s: 75 % more takes 180 s.
  EXPECT_DOUBLE_EQ(*dataset_eta_s(25, 1'000, 61'000), 180);
  EXPECT_DOUBLE_EQ(*dataset_eta_s(100, 1'000, 61'000), 0);
  EXPECT_FALSE(dataset_eta_s(0, 1'000, 61'000).has_value());
  EXPECT_FALSE(dataset_eta_s(50, 61'000, 61'000).has_value());
}

TEST(Run, ARunsKeyAndArtifactsAreNamedByItsIndex) {
  EXPECT_EQ(run_key("job_abc", 12), "job_abc:12");
  EXPECT_EQ(run_artifact_prefix(12), "runs/12/");
}

}  // namespace
}  // namespace live2
