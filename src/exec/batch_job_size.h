// How large a Fargate task an AWS Batch job gets (docs/aws.md, "Right-sized jobs"): an estimate from the run's
// particles and steps and the threads that pay off for it, fitted to a valid Fargate pair under the tier's ceiling.
//   memory: 512 MiB (process, I/O buffers, S3 upload parts) + 1 KiB per particle (measured peak: 0.28-0.39 KB per
//           particle, docs/benchmarks.md);
//   vCPUs:  the fewest of Fargate's steps that finish the run within an hour by live2-sim's own runtime estimate
//           (below 1 vCPU the run gets that share of one core), but no more than one vCPU per 2,000 particles
//           (fewer particles per thread do not speed a step up); the most the cap allows when none is that fast.
// The worker runs one thread per whole vCPU (one below 1 vCPU). Pure; thread-safe.
#pragma once

#include "aws/fargate_sizes.h"
#include "core/job.h"
#include "sim/params.h"

namespace live2 {

struct BatchJobSize {
  aws::FargateSize fargate;
  int worker_threads = 1;
  bool operator==(const BatchJobSize&) const = default;
};

inline constexpr double kSizingTargetRuntimeSeconds = 3600;
inline constexpr int64_t kSizingParticlesPerVcpu = 2'000;
inline constexpr int kSizingBaseMemoryMib = 512;
inline constexpr int64_t kSizingBytesPerParticle = 1024;

// A tier's ceiling from its limits (LIVE2_TIER_<TIER>_MAX_VCPUS and _MAX_MEMORY_MIB).
aws::FargateSize fargate_ceiling(const TierLimits& limits);

BatchJobSize size_batch_job(const sim::SimulationConfig& config, aws::FargateSize ceiling);
// The job's params as the worker reads them; params that do not parse (never accepted by the API) size as the
// default run.
BatchJobSize size_batch_job(const Job& job, aws::FargateSize ceiling);

}  // namespace live2
