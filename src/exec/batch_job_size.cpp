#include "exec/batch_job_size.h"

#include <algorithm>
#include <boost/json/parse.hpp>

namespace live2 {
namespace {

// live2-sim's runtime estimate on `vcpus`; below one vCPU the run gets that share of a core.
double runtime_seconds(const sim::SimulationConfig& config, double vcpus) {
  if (vcpus >= 1) return sim::estimate_runtime_seconds(config, static_cast<int>(vcpus));
  return sim::estimate_runtime_seconds(config, 1) / vcpus;
}

}  // namespace

aws::FargateSize fargate_ceiling(const TierLimits& limits) {
  return {static_cast<double>(limits.max_vcpus), static_cast<int>(limits.max_memory_mib)};
}

BatchJobSize size_batch_job(const sim::SimulationConfig& config, aws::FargateSize ceiling) {
  const double useful_vcpus =
      std::max<double>(1, static_cast<double>(config.num_particles / kSizingParticlesPerVcpu));
  double vcpus = 0;
  for (const double step : aws::fargate_vcpu_steps()) {
    if (step > useful_vcpus) break;
    vcpus = step;
    if (runtime_seconds(config, step) <= kSizingTargetRuntimeSeconds) break;
  }
  constexpr int64_t kMiB = 1 << 20;
  const int64_t particle_mib = (config.num_particles * kSizingBytesPerParticle + kMiB - 1) / kMiB;
  const int memory_mib = static_cast<int>(std::min<int64_t>(kSizingBaseMemoryMib + particle_mib, 1 << 30));
  const aws::FargateSize fitted = aws::fit_fargate_size({vcpus, memory_mib}, ceiling);
  return {fitted, std::max(1, static_cast<int>(fitted.vcpus))};
}

BatchJobSize size_batch_job(const Job& job, aws::FargateSize ceiling) {
  boost::system::error_code error;
  const boost::json::value params = boost::json::parse(job.params_json, error);
  sim::ParseOutcome parsed;
  if (!error) parsed = sim::parse_params(params);
  return size_batch_job(parsed.config.value_or(sim::SimulationConfig{}), ceiling);
}

}  // namespace live2
