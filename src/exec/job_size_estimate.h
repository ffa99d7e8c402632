// What a run needs, estimated from its particles and steps: the one sizing estimate of the executors that ask a
// scheduler for resources. AWS Batch fits it to a Fargate pair (batch_job_size.h), Slurm to whole CPUs and --mem
// (slurm_job_size.h), each under the job's tier ceiling (LIVE2_TIER_<TIER>_MAX_VCPUS and _MAX_MEMORY_MIB).
//   memory: 512 MiB (process, I/O buffers, upload parts) + 1 KiB per particle (measured peak: 0.28-0.39 KB per
//           particle, docs/benchmarks.md);
//   CPUs:   the fewest of the scheduler's CPU steps that finish the run within an hour by live2-sim's own runtime
//           estimate (below 1 CPU the run gets that share of one core), but no more than one CPU per 2,000 particles
//           (fewer particles per thread do not speed a step up); the largest such step when none is that fast.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/job.h"
#include "sim/params.h"

namespace live2 {

inline constexpr double kSizingTargetRuntimeSeconds = 3600;
inline constexpr int64_t kSizingParticlesPerVcpu = 2'000;
inline constexpr int kSizingBaseMemoryMib = 512;
inline constexpr int64_t kSizingBytesPerParticle = 1024;

struct JobResources {
  double vcpus = 1;
  int memory_mib = kSizingBaseMemoryMib;
  bool operator==(const JobResources&) const = default;
};

// `vcpu_steps`: the CPU counts the scheduler offers, ascending and not empty.
JobResources estimate_job_resources(const sim::SimulationConfig& config, std::span<const double> vcpu_steps);

// The job's params as the worker reads them; params that do not parse (never accepted by the API) give the default
// run.
sim::SimulationConfig simulation_config_of(const Job& job);
// The same from a run_simulation job's params text (a dataset's run, core/run.h).
sim::SimulationConfig simulation_config_of_params(const std::string& params_json);

}  // namespace live2
