// The cost of an AWS Batch job on Fargate against hand-computed values (docs/aws.md, "Cost").
#include <gtest/gtest.h>

#include "exec/batch_cost.h"

namespace live2 {
namespace {

// Round numbers, so the arithmetic below can be checked by hand.
const FargatePrices kPrices{{0.04, 0.004}, {0.012, 0.0012}};

TEST(BatchCost, OneSpotAttemptOfHalfAnHour) {
  // 1 vCPU, 2 GB for 1,800 s = 0.5 h: 0.5 vCPU-h and 1 GB-h; 0.5 x 0.012 + 1 x 0.0012 = 0.0072 USD.
  const JobCost cost = fargate_job_cost({{1'000'000, 2'800'000, FargateCapacity::spot}}, {1, 2048}, kPrices);
  EXPECT_DOUBLE_EQ(cost.vcpu_hours, 0.5);
  EXPECT_DOUBLE_EQ(cost.gb_hours, 1.0);
  ASSERT_TRUE(cost.usd.has_value());
  EXPECT_DOUBLE_EQ(*cost.usd, 0.0072);
}

TEST(BatchCost, AReclaimedSpotAttemptThenAnOnDemandOneEachAtItsRate) {
  // 2 vCPU, 4 GB. Attempt 1, Spot, 45 s: billed Fargate's minimum 60 s = 1/60 h: 2/60 vCPU-h, 4/60 GB-h,
  // 2/60 x 0.012 + 4/60 x 0.0012 = 0.0004 + 0.00008 = 0.00048 USD.
  // Attempt 2, on-demand, 3,600.5 s: billed by the started second, 3,601 s: 2 x 3601/3600 vCPU-h, 4 x 3601/3600 GB-h,
  // (2 x 0.04 + 4 x 0.004) x 3601/3600 = 0.096 x 3601/3600 = 0.09602667 USD.
  const JobCost cost = fargate_job_cost({{0, 45'000, FargateCapacity::spot},
                                         {50'000, 50'000 + 3'600'500, FargateCapacity::on_demand}},
                                        {2, 4096}, kPrices);
  EXPECT_DOUBLE_EQ(cost.vcpu_hours, 2.0 / 60 + 2.0 * 3601 / 3600);  // 2.03389
  EXPECT_DOUBLE_EQ(cost.gb_hours, 4.0 / 60 + 4.0 * 3601 / 3600);    // 4.06778
  ASSERT_TRUE(cost.usd.has_value());
  EXPECT_NEAR(*cost.usd, 0.00048 + 0.096 * 3601 / 3600, 1e-12);      // 0.09650667
}

TEST(BatchCost, QuarterVcpuAndHalfAGigabyte) {
  // 0.25 vCPU, 512 MiB = 0.5 GB for 2 h: 0.5 vCPU-h, 1 GB-h; on-demand 0.5 x 0.04 + 1 x 0.004 = 0.024 USD.
  const JobCost cost = fargate_job_cost({{0, 7'200'000, FargateCapacity::on_demand}}, {0.25, 512}, kPrices);
  EXPECT_DOUBLE_EQ(cost.vcpu_hours, 0.5);
  EXPECT_DOUBLE_EQ(cost.gb_hours, 1.0);
  EXPECT_DOUBLE_EQ(cost.usd.value(), 0.024);
}

TEST(BatchCost, NoAttemptCostsNothingAndARegionWithoutPricesHasNoUsd) {
  const JobCost never_ran = fargate_job_cost({}, {8, 16384}, kPrices);
  EXPECT_EQ(never_ran.vcpu_hours, 0);
  EXPECT_EQ(never_ran.usd, 0.0);
  const JobCost unpriced = fargate_job_cost({{0, 3'600'000, FargateCapacity::spot}}, {4, 8192}, std::nullopt);
  EXPECT_DOUBLE_EQ(unpriced.vcpu_hours, 4);
  EXPECT_DOUBLE_EQ(unpriced.gb_hours, 8);
  EXPECT_FALSE(unpriced.usd.has_value());
}

}  // namespace
}  // namespace live2
