#include "exec/slurm_job_size.h"

#include <algorithm>
#include <vector>

#include "exec/job_size_estimate.h"

namespace live2 {

SlurmTierCeiling slurm_tier_ceiling(const TierLimits& limits) {
  return {static_cast<int>(std::max<int64_t>(1, limits.max_vcpus)), limits.max_memory_mib};
}

SlurmTierCeiling slurm_tier_ceiling(const SlurmSizing& sizing, Tier tier) {
  const auto found = sizing.tier_ceilings.find(tier);
  return found != sizing.tier_ceilings.end() ? found->second : slurm_tier_ceiling(default_limits(tier));
}

SlurmJobSize size_slurm_job(const sim::SimulationConfig& config, Tier tier, const SlurmSizing& sizing) {
  const SlurmTierCeiling ceiling = slurm_tier_ceiling(sizing, tier);
  std::vector<double> cpu_steps;
  for (int cpus = 1; cpus <= ceiling.cpus; ++cpus) cpu_steps.push_back(cpus);
  const JobResources wanted = estimate_job_resources(config, cpu_steps);
  SlurmJobSize size;
  size.cpus_per_task = sizing.cpus_per_task > 0 ? sizing.cpus_per_task : static_cast<int>(wanted.vcpus);
  size.memory_mib = sizing.memory_mib > 0 ? sizing.memory_mib : std::min<int64_t>(wanted.memory_mib, ceiling.memory_mib);
  return size;
}

SlurmJobSize size_slurm_job(const Job& job, const SlurmSizing& sizing) {
  return size_slurm_job(simulation_config_of(job), job.tier.value_or(Tier::hobby), sizing);
}

}  // namespace live2
