#include "exec/batch_cost.h"

#include <algorithm>

namespace live2 {

JobCost fargate_job_cost(const std::vector<BilledAttempt>& attempts, aws::FargateSize size,
                         const std::optional<FargatePrices>& prices) {
  JobCost cost;
  double usd = 0;
  for (const BilledAttempt& attempt : attempts) {
    const int64_t ran_ms = std::max<int64_t>(0, attempt.stopped_at_ms - attempt.started_at_ms);
    const int64_t billed_s = std::max(kFargateMinimumBilledSeconds, (ran_ms + 999) / 1000);
    const double hours = static_cast<double>(billed_s) / 3600.0;
    const double vcpu_hours = size.vcpus * hours;
    const double gb_hours = size.memory_mib / 1024.0 * hours;
    cost.vcpu_hours += vcpu_hours;
    cost.gb_hours += gb_hours;
    if (prices) {
      const FargatePrice& rate = attempt.capacity == FargateCapacity::on_demand ? prices->on_demand : prices->spot;
      usd += vcpu_hours * rate.usd_per_vcpu_hour + gb_hours * rate.usd_per_gb_hour;
    }
  }
  if (prices) cost.usd = usd;
  return cost;
}

}  // namespace live2
