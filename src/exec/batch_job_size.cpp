#include "exec/batch_job_size.h"

#include <algorithm>

namespace live2 {

aws::FargateSize fargate_ceiling(const TierLimits& limits) {
  return {static_cast<double>(limits.max_vcpus), static_cast<int>(limits.max_memory_mib)};
}

BatchJobSize size_batch_job(const sim::SimulationConfig& config, aws::FargateSize ceiling) {
  const JobResources wanted = estimate_job_resources(config, aws::fargate_vcpu_steps());
  const aws::FargateSize fitted = aws::fit_fargate_size({wanted.vcpus, wanted.memory_mib}, ceiling);
  return {fitted, std::max(1, static_cast<int>(fitted.vcpus))};
}

BatchJobSize size_batch_job(const Job& job, aws::FargateSize ceiling) {
  return size_batch_job(simulation_config_of(job), ceiling);
}

}  // namespace live2
