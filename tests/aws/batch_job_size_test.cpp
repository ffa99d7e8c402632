// Fargate's task size table and the estimate that sizes each AWS Batch job (docs/aws.md, "Right-sized jobs"),
// against values worked out by hand from AWS's table and live2-sim's runtime estimate.
#include <gtest/gtest.h>

#include "aws/fargate_sizes.h"
#include "exec/batch_job_size.h"
#include "support/simulation_runs.h"

namespace live2 {
namespace {

using aws::FargateSize;
using aws::fit_fargate_size;
using aws::is_valid_fargate_pair;

constexpr FargateSize kLargest{16, 122'880};

TEST(FargateSizes, EveryRowOfTheTableWithItsEdgesAndSteps) {
  // 0.25 vCPU: exactly 512, 1024, 2048 (not 1536).
  EXPECT_TRUE(is_valid_fargate_pair(0.25, 512));
  EXPECT_TRUE(is_valid_fargate_pair(0.25, 2048));
  EXPECT_FALSE(is_valid_fargate_pair(0.25, 1536));
  EXPECT_FALSE(is_valid_fargate_pair(0.25, 3072));
  // 0.5: 1-4 GiB; 1: 2-8 GiB; 2: 4-16 GiB; 4: 8-30 GiB, all in 1 GiB steps.
  EXPECT_TRUE(is_valid_fargate_pair(0.5, 1024));
  EXPECT_TRUE(is_valid_fargate_pair(0.5, 4096));
  EXPECT_FALSE(is_valid_fargate_pair(0.5, 512));
  EXPECT_FALSE(is_valid_fargate_pair(0.5, 5120));
  EXPECT_TRUE(is_valid_fargate_pair(1, 2048));
  EXPECT_TRUE(is_valid_fargate_pair(1, 8192));
  EXPECT_FALSE(is_valid_fargate_pair(1, 1024));
  EXPECT_FALSE(is_valid_fargate_pair(1, 2560));
  EXPECT_TRUE(is_valid_fargate_pair(2, 4096));
  EXPECT_TRUE(is_valid_fargate_pair(2, 16384));
  EXPECT_FALSE(is_valid_fargate_pair(2, 17408));
  EXPECT_TRUE(is_valid_fargate_pair(4, 8192));
  EXPECT_TRUE(is_valid_fargate_pair(4, 30720));
  EXPECT_FALSE(is_valid_fargate_pair(4, 31744));
  // 8: 16-60 GiB in 4 GiB steps; 16: 32-120 GiB in 8 GiB steps.
  EXPECT_TRUE(is_valid_fargate_pair(8, 16384));
  EXPECT_TRUE(is_valid_fargate_pair(8, 20480));
  EXPECT_TRUE(is_valid_fargate_pair(8, 61440));
  EXPECT_FALSE(is_valid_fargate_pair(8, 18432));
  EXPECT_FALSE(is_valid_fargate_pair(8, 8192));
  EXPECT_TRUE(is_valid_fargate_pair(16, 32768));
  EXPECT_TRUE(is_valid_fargate_pair(16, 40960));
  EXPECT_TRUE(is_valid_fargate_pair(16, 122880));
  EXPECT_FALSE(is_valid_fargate_pair(16, 36864));
  EXPECT_FALSE(is_valid_fargate_pair(16, 131072));
  // No other vCPU counts.
  EXPECT_FALSE(is_valid_fargate_pair(3, 8192));
  EXPECT_FALSE(is_valid_fargate_pair(32, 65536));
}

TEST(FargateSizes, FitTakesTheSmallestPairHoldingBothWantsUnderTheCeiling) {
  EXPECT_EQ(fit_fargate_size({0.1, 100}, kLargest), (FargateSize{0.25, 512}));
  EXPECT_EQ(fit_fargate_size({0.25, 1100}, kLargest), (FargateSize{0.25, 2048}));  // 1536 is no pair
  EXPECT_EQ(fit_fargate_size({1, 10240}, kLargest), (FargateSize{2, 10240}));  // 1 vCPU stops at 8 GiB
  EXPECT_EQ(fit_fargate_size({8, 1000}, kLargest), (FargateSize{8, 16384}));   // 8 vCPUs start at 16 GiB
  EXPECT_EQ(fit_fargate_size({8, 17000}, kLargest), (FargateSize{8, 20480}));  // 4 GiB steps
  EXPECT_EQ(fit_fargate_size({3, 5000}, kLargest), (FargateSize{4, 8192}));
  // Wants past the ceiling are cut to it.
  EXPECT_EQ(fit_fargate_size({16, 65536}, {2, 4096}), (FargateSize{2, 4096}));
  EXPECT_EQ(fit_fargate_size({1, 65536}, {4, 16384}), (FargateSize{2, 16384}));
  // A ceiling that is no valid pair: the largest pair under it, or the smallest pair there is.
  EXPECT_EQ(fit_fargate_size({3, 3000}, {3, 3000}), (FargateSize{1, 2048}));
  EXPECT_EQ(fit_fargate_size({1, 1024}, {0.1, 100}), (FargateSize{0.25, 512}));
}

using testing::run_of_size;

TEST(BatchJobSize, EstimateFromParticlesStepsAndThreads) {
  // The default run: 1,000 x 10,000 with reactions is 1 + 1.35e7 / 8e6 = 2.69 s on one core, 10.75 s on a quarter
  // of one; memory 512 MiB + 1 MiB (1,000 KiB rounded up) = 513 MiB -> 1 GiB, 0.25 vCPU's next step.
  EXPECT_EQ(size_batch_job(run_of_size(1'000, 10'000), kLargest), (BatchJobSize{{0.25, 1024}, 1}));
  // 100,000 x 1,000,000: 1.35e11 particle-steps are 16,876 s on one core, 8,883 s on 2, 4,562 s on 4 and
  // 1 + 16,875 / 7.3 = 2,313 s on 8 vCPUs, the first within the hour; 8 vCPUs start at 16 GiB.
  EXPECT_EQ(size_batch_job(run_of_size(100'000, 1'000'000), kLargest), (BatchJobSize{{8, 16384}, 8}));
  // The same run under hobby's ceiling (2 vCPU, 4 GiB) and research's (4 vCPU, 16 GiB).
  EXPECT_EQ(size_batch_job(run_of_size(100'000, 1'000'000), {2, 4096}), (BatchJobSize{{2, 4096}, 2}));
  EXPECT_EQ(size_batch_job(run_of_size(100'000, 1'000'000), {4, 16384}), (BatchJobSize{{4, 8192}, 4}));
  // 1,000 particles for a billion steps: days of work, but threads past one do not pay off below 2,000 particles.
  EXPECT_EQ(size_batch_job(run_of_size(1'000, 1'000'000'000), kLargest), (BatchJobSize{{1, 2048}, 1}));
  // 8,000 particles for 10^8 steps: 1.08e12 particle-steps, 36,487 s on 4 vCPUs (8,000 / 2,000): too long, but all
  // that pays off.
  EXPECT_EQ(size_batch_job(run_of_size(8'000, 100'000'000), kLargest), (BatchJobSize{{4, 8192}, 4}));
  // 2,000,000 particles for 10 steps: seconds of work, but 512 + 1,954 MiB = 2,466 MiB: past 0.25 vCPU's 2 GiB and
  // onto 0.5 vCPU's 3 GiB.
  EXPECT_EQ(size_batch_job(run_of_size(2'000'000, 10), kLargest), (BatchJobSize{{0.5, 3072}, 1}));
}

TEST(BatchJobSize, JobParamsAreReadAsTheWorkerReadsThem) {
  Job job;
  job.params_json =
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100000, "steps": 1000000}}})";
  EXPECT_EQ(size_batch_job(job, kLargest), (BatchJobSize{{8, 16384}, 8}));
  job.params_json = "not json";
  EXPECT_EQ(size_batch_job(job, kLargest), size_batch_job(sim::SimulationConfig{}, kLargest));
}

TEST(BatchJobSize, TierCeilingsOfTheDefaultLimitsAreValidPairs) {
  for (const Tier tier : kAllTiers) {
    const FargateSize ceiling = fargate_ceiling(default_limits(tier));
    EXPECT_TRUE(is_valid_fargate_pair(ceiling.vcpus, ceiling.memory_mib)) << to_string(tier);
  }
}

}  // namespace
}  // namespace live2
