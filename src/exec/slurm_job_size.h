// How many CPUs and how much memory a Slurm job asks for (sbatch --cpus-per-task, --mem; docs/slurm.md, "Sizing").
// Each is either fixed for every job by the settings (LIVE2_SLURM_CPUS_PER_TASK, LIVE2_SLURM_MEMORY_MIB), or, when
// that is 0, the run's estimate (job_size_estimate.h, the one Batch uses too) over whole CPUs from 1 up to the job's
// tier ceiling (LIVE2_TIER_<TIER>_MAX_VCPUS), memory no more than LIVE2_TIER_<TIER>_MAX_MEMORY_MIB. The worker runs
// one thread per CPU. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>

#include "core/job.h"
#include "core/tiers.h"
#include "sim/params.h"

namespace live2 {

struct SlurmTierCeiling {
  int cpus = 1;
  int64_t memory_mib = 512;
};

struct SlurmSizing {
  int cpus_per_task = 0;   // >0: every job asks this many CPUs; 0: by the estimate under the tier's ceiling
  int64_t memory_mib = 0;  // >0: every job asks this much memory; 0: likewise by the estimate
  std::map<Tier, SlurmTierCeiling> tier_ceilings;  // a tier not here has default_limits()' ceiling
};

struct SlurmJobSize {
  int cpus_per_task = 1;  // also the worker's threads
  int64_t memory_mib = 512;
  bool operator==(const SlurmJobSize&) const = default;
};

SlurmTierCeiling slurm_tier_ceiling(const TierLimits& limits);
SlurmTierCeiling slurm_tier_ceiling(const SlurmSizing& sizing, Tier tier);

SlurmJobSize size_slurm_job(const sim::SimulationConfig& config, Tier tier, const SlurmSizing& sizing);
// The job's params (simulation_config_of) and its tier (hobby's when it has none).
SlurmJobSize size_slurm_job(const Job& job, const SlurmSizing& sizing);

}  // namespace live2
