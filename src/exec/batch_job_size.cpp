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

BatchJobSize size_batch_runs(const std::vector<std::string>& run_params_json, aws::FargateSize ceiling) {
  JobResources most{aws::fargate_vcpu_steps().front(), 0};
  for (const std::string& params : run_params_json) {
    const JobResources wanted = estimate_job_resources(simulation_config_of_params(params), aws::fargate_vcpu_steps());
    most.vcpus = std::max(most.vcpus, wanted.vcpus);
    most.memory_mib = std::max(most.memory_mib, wanted.memory_mib);
  }
  const aws::FargateSize fitted = aws::fit_fargate_size({most.vcpus, most.memory_mib}, ceiling);
  return {fitted, std::max(1, static_cast<int>(fitted.vcpus))};
}

BatchJobSize size_batch_job(const Job& job, aws::FargateSize ceiling) {
  return size_batch_job(simulation_config_of(job), ceiling);
}

}  // namespace live2
