// Fargate's task sizes: the (vCPU, memory) pairs a Fargate task (so an AWS Batch job on a FARGATE or FARGATE_SPOT
// compute environment) may have, from AWS's task size table (docs/aws.md, "Right-sized jobs"):
//   0.25 vCPU: 512, 1024, 2048 MiB        0.5 vCPU: 1-4 GiB in 1 GiB steps     1 vCPU: 2-8 GiB in 1 GiB steps
//   2 vCPU: 4-16 GiB in 1 GiB steps       4 vCPU: 8-30 GiB in 1 GiB steps
//   8 vCPU: 16-60 GiB in 4 GiB steps      16 vCPU: 32-120 GiB in 8 GiB steps
// Pure; thread-safe.
#pragma once

#include <span>
#include <string>

namespace live2::aws {

struct FargateSize {
  double vcpus = 0;    // one of fargate_vcpu_steps()
  int memory_mib = 0;
  bool operator==(const FargateSize&) const = default;
};

// 0.25, 0.5, 1, 2, 4, 8, 16.
std::span<const double> fargate_vcpu_steps();
bool is_valid_fargate_pair(double vcpus, int memory_mib);

// The smallest valid pair (fewest vCPUs, then least memory) with at least `wanted` of both, each want first cut to
// `ceiling`; never above the ceiling unless no valid pair fits under it at all (an invalid ceiling such as 0.25 vCPU
// with 256 MiB), when it is the largest valid pair under the ceiling or, failing that, the smallest there is.
// The result is always a valid pair.
FargateSize fit_fargate_size(FargateSize wanted, FargateSize ceiling);

// "0.25", "0.5", "1", "16": the spelling of resourceRequirements' VCPU value.
std::string format_vcpus(double vcpus);

}  // namespace live2::aws
