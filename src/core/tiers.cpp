#include "core/tiers.h"

namespace live2 {

std::string_view to_string(Tier tier) {
  switch (tier) {
    case Tier::hobby: return "hobby";
    case Tier::research: return "research";
    case Tier::pro: return "pro";
    case Tier::enterprise: return "enterprise";
  }
  return "hobby";
}

std::optional<Tier> parse_tier(std::string_view text) {
  for (Tier tier : kAllTiers) {
    if (to_string(tier) == text) return tier;
  }
  return std::nullopt;
}

TierLimits default_limits(Tier tier) {
  // Sized so a hobby user can run the default simulation comfortably and an enterprise user a million-atom run of
  // a billion steps; requests per minute leave room for a dashboard polling several jobs. Output budgets hold every
  // run of the tier's size at the default snapshot and analysis intervals with room to spare, and stop a
  // snapshot at every step of a long run (docs/tiers.md has the arithmetic). Fargate ceilings: a hobby run needs no
  // more than 2 vCPUs; larger tiers may use Fargate's largest task (docs/aws.md, "Right-sized jobs"). Datasets: as
  // many runs as a Batch array holds (10,000) from pro up; running runs as many as concurrent jobs, so a dataset uses
  // a user's share of workers and no more.
  constexpr int64_t kGiB = 1LL << 30;
  switch (tier) {
    case Tier::hobby: return {2, 50, 1'000'000'000LL, 600, 8 * kGiB, 2, 4096, 100, 2};
    case Tier::research: return {8, 500, 100'000'000'000LL, 3'000, 50 * kGiB, 4, 16384, 1'000, 8};
    case Tier::pro: return {32, 5'000, 10'000'000'000'000LL, 12'000, 500 * kGiB, 8, 32768, 10'000, 32};
    case Tier::enterprise: return {256, 100'000, 2'000'000'000'000'000LL, 60'000, 5 * 1024 * kGiB, 16, 65536, 10'000, 256};
  }
  return default_limits(Tier::hobby);
}

}  // namespace live2
