#include "slurm_settings.h"

#include <algorithm>
#include <cctype>

namespace live2::app {

SshTarget slurm_ssh_target(const Settings& settings) {
  return SshTarget{settings.slurm_ssh_host, static_cast<int>(settings.slurm_ssh_port), settings.slurm_ssh_key,
                   settings.slurm_ssh_known_hosts};
}

std::filesystem::path slurm_shared_directory(const Settings& settings, const std::filesystem::path& data_dir) {
  return settings.slurm_shared_dir.empty() ? data_dir / "artifacts" : std::filesystem::path(settings.slurm_shared_dir);
}

SlurmSizing slurm_sizing(const Settings& settings) {
  SlurmSizing sizing;
  sizing.cpus_per_task = static_cast<int>(settings.slurm_cpus_per_task);
  sizing.memory_mib = settings.slurm_memory_mib;
  for (const Tier tier : kAllTiers) sizing.tier_ceilings[tier] = slurm_tier_ceiling(settings.limits_for(tier));
  return sizing;
}

namespace {

// LIVE2_TIER_<TIER>_<LIMIT>, the setting of one tier's limit.
std::string tier_setting(Tier tier, const std::string& limit) {
  std::string name(to_string(tier));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return "LIVE2_TIER_" + name + "_" + limit;
}

}  // namespace

std::vector<SlurmCpuAsk> slurm_cpu_asks(const Settings& settings) {
  if (settings.slurm_cpus_per_task > 0) {
    return {{"LIVE2_SLURM_CPUS_PER_TASK", static_cast<int>(settings.slurm_cpus_per_task)}};
  }
  std::vector<SlurmCpuAsk> asks;
  for (const Tier tier : kAllTiers) {
    asks.push_back({tier_setting(tier, "MAX_VCPUS"), slurm_tier_ceiling(settings.limits_for(tier)).cpus});
  }
  return asks;
}

std::vector<SlurmMemoryAsk> slurm_memory_asks(const Settings& settings) {
  if (settings.slurm_memory_mib > 0) return {{"LIVE2_SLURM_MEMORY_MIB", settings.slurm_memory_mib}};
  std::vector<SlurmMemoryAsk> asks;
  for (const Tier tier : kAllTiers) {
    asks.push_back({tier_setting(tier, "MAX_MEMORY_MIB"), slurm_tier_ceiling(settings.limits_for(tier)).memory_mib});
  }
  return asks;
}

}  // namespace live2::app
