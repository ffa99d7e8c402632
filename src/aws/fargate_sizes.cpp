#include "aws/fargate_sizes.h"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

namespace live2::aws {
namespace {

constexpr int kGiB = 1024;
constexpr std::array<double, 7> kVcpuSteps{0.25, 0.5, 1, 2, 4, 8, 16};

// Every valid pair, by vCPUs then memory: the table above written out.
std::vector<FargateSize> all_pairs() {
  struct Range {
    double vcpus;
    int low_gib, high_gib, step_gib;
  };
  constexpr std::array<Range, 6> kRanges{{{0.5, 1, 4, 1}, {1, 2, 8, 1}, {2, 4, 16, 1}, {4, 8, 30, 1},
                                          {8, 16, 60, 4}, {16, 32, 120, 8}}};
  std::vector<FargateSize> pairs{{0.25, 512}, {0.25, kGiB}, {0.25, 2 * kGiB}};
  for (const Range& range : kRanges) {
    for (int gib = range.low_gib; gib <= range.high_gib; gib += range.step_gib) pairs.push_back({range.vcpus, gib * kGiB});
  }
  return pairs;
}

const std::vector<FargateSize>& pairs() {
  static const std::vector<FargateSize> table = all_pairs();
  return table;
}

bool under(const FargateSize& size, const FargateSize& ceiling) {
  return size.vcpus <= ceiling.vcpus && size.memory_mib <= ceiling.memory_mib;
}

}  // namespace

std::span<const double> fargate_vcpu_steps() { return kVcpuSteps; }

bool is_valid_fargate_pair(double vcpus, int memory_mib) {
  return std::find(pairs().begin(), pairs().end(), FargateSize{vcpus, memory_mib}) != pairs().end();
}

FargateSize fit_fargate_size(FargateSize wanted, FargateSize ceiling) {
  const FargateSize cut{std::min(wanted.vcpus, ceiling.vcpus), std::min(wanted.memory_mib, ceiling.memory_mib)};
  for (const FargateSize& pair : pairs()) {
    if (pair.vcpus >= cut.vcpus && pair.memory_mib >= cut.memory_mib && under(pair, ceiling)) return pair;
  }
  // Nothing holds the wants under the ceiling, so the ceiling is no valid pair itself: the largest pair under it.
  const FargateSize* largest = nullptr;
  for (const FargateSize& pair : pairs()) {
    if (under(pair, ceiling)) largest = &pair;
  }
  return largest != nullptr ? *largest : pairs().front();
}

std::string format_vcpus(double vcpus) { return fmt::format("{}", vcpus); }

}  // namespace live2::aws
