#include "exec/job_size_estimate.h"

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

JobResources estimate_job_resources(const sim::SimulationConfig& config, std::span<const double> vcpu_steps) {
  const double useful_vcpus =
      std::max<double>(1, static_cast<double>(config.num_particles / kSizingParticlesPerVcpu));
  double vcpus = vcpu_steps.front();
  for (const double step : vcpu_steps) {
    if (step > useful_vcpus) break;
    vcpus = step;
    if (runtime_seconds(config, step) <= kSizingTargetRuntimeSeconds) break;
  }
  constexpr int64_t kMiB = 1 << 20;
  const int64_t particle_mib = (config.num_particles * kSizingBytesPerParticle + kMiB - 1) / kMiB;
  return {vcpus, static_cast<int>(std::min<int64_t>(kSizingBaseMemoryMib + particle_mib, 1 << 30))};
}

sim::SimulationConfig simulation_config_of(const Job& job) { return simulation_config_of_params(job.params_json); }

sim::SimulationConfig simulation_config_of_params(const std::string& params_json) {
  boost::system::error_code error;
  const boost::json::value params = boost::json::parse(params_json, error);
  sim::ParseOutcome parsed;
  if (!error) parsed = sim::parse_params(params);
  return parsed.config.value_or(sim::SimulationConfig{});
}

}  // namespace live2
