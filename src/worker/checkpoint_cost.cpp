#include "worker/checkpoint_cost.h"

#include <algorithm>

namespace live2::worker {

void CheckpointCost::record(int64_t bytes, double seconds) {
  if (bytes <= 0) return;
  const double rate = std::max(0.0, seconds) / static_cast<double>(bytes);
  seconds_per_byte_ = seconds_per_byte_ ? std::max(*seconds_per_byte_, rate) : rate;
}

std::optional<double> CheckpointCost::projected_seconds(int64_t bytes) const {
  if (!seconds_per_byte_) return std::nullopt;
  return *seconds_per_byte_ * static_cast<double>(bytes);
}

}  // namespace live2::worker
