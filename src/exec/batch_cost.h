// What an AWS Batch job's Fargate tasks cost (docs/aws.md, "Cost"): every attempt that ran is billed from its
// startedAt to its stoppedAt, by the second with Fargate's one-minute minimum, for the job's vCPUs and memory
// (1 GB = 1024 MiB, as Fargate bills), at the rate of the capacity it ran on. Batch's times start when the container
// runs, so the image pull before it is not counted: an estimate, a little low. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "aws/fargate_sizes.h"
#include "core/fargate_prices.h"
#include "core/job.h"

namespace live2 {

enum class FargateCapacity { spot, on_demand };

struct BilledAttempt {
  int64_t started_at_ms = 0;
  int64_t stopped_at_ms = 0;
  FargateCapacity capacity = FargateCapacity::spot;
};

inline constexpr int64_t kFargateMinimumBilledSeconds = 60;

// `prices`: the region's row; without one the cost has vCPU-hours and GB-hours but no usd.
JobCost fargate_job_cost(const std::vector<BilledAttempt>& attempts, aws::FargateSize size,
                         const std::optional<FargatePrices>& prices);

}  // namespace live2
