// Account tiers and their limits (docs/tiers.md has the table). The defaults live in one place here; an operator
// overrides any of them with LIVE2_TIER_<TIER>_<LIMIT> settings (see settings.h).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace live2 {

enum class Tier { hobby, research, pro, enterprise };
inline constexpr std::array<Tier, 4> kAllTiers{Tier::hobby, Tier::research, Tier::pro, Tier::enterprise};

std::string_view to_string(Tier tier);
std::optional<Tier> parse_tier(std::string_view text);

struct TierLimits {
  int64_t concurrent_jobs;         // queued + running at once
  int64_t jobs_per_day;            // created in any rolling 24 hours
  int64_t particle_steps_per_job;  // num_particles x steps
  int64_t requests_per_minute;     // every authenticated request
  int64_t output_bytes_per_job;    // the job's artifacts: estimated at submit, enforced by the worker
  // AWS Batch: the largest Fargate task a job is sized to (whole vCPUs, MiB); a valid Fargate pair (`live2 doctor`).
  int64_t max_vcpus;
  int64_t max_memory_mib;
  int64_t runs_per_dataset;        // a generate_dataset job's runs (sweep points x replicas)
  int64_t running_runs;            // a user's dataset runs running at once, over all of its datasets
};

TierLimits default_limits(Tier tier);

}  // namespace live2
