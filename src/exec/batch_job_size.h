// How large a Fargate task an AWS Batch job gets (docs/aws.md, "Right-sized jobs"): the run's estimate
// (job_size_estimate.h) over Fargate's vCPU steps, fitted to a valid Fargate pair under the tier's ceiling.
// The worker runs one thread per whole vCPU (one below 1 vCPU). Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "aws/fargate_sizes.h"
#include "core/job.h"
#include "exec/job_size_estimate.h"
#include "sim/params.h"

namespace live2 {

struct BatchJobSize {
  aws::FargateSize fargate;
  int worker_threads = 1;
  bool operator==(const BatchJobSize&) const = default;
};

// A tier's ceiling from its limits (LIVE2_TIER_<TIER>_MAX_VCPUS and _MAX_MEMORY_MIB).
aws::FargateSize fargate_ceiling(const TierLimits& limits);

BatchJobSize size_batch_job(const sim::SimulationConfig& config, aws::FargateSize ceiling);
// The job's params as the worker reads them; params that do not parse (never accepted by the API) size as the
// default run.
BatchJobSize size_batch_job(const Job& job, aws::FargateSize ceiling);
// A dataset's runs as one AWS Batch array job, whose children all get one size: the most vCPUs and the most memory
// any of its runs (run_simulation params) needs, fitted once.
BatchJobSize size_batch_runs(const std::vector<std::string>& run_params_json, aws::FargateSize ceiling);

}  // namespace live2
