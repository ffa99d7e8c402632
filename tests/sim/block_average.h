// Test helper: mean of a correlated time series with its standard error from contiguous block averages (the blocks
// must be longer than the correlation time for the error to be honest; 10 blocks as in src/sim/lj_benchmark.cpp).
#pragma once

#include <cmath>
#include <vector>

namespace live2::sim::testing {

struct BlockMean {
  double mean = 0.0, stderr_of_mean = 0.0;
};

inline BlockMean block_mean(const std::vector<double>& samples, size_t blocks = 10) {
  const size_t per_block = samples.size() / blocks;
  std::vector<double> means(blocks, 0.0);
  double total = 0.0;
  for (size_t b = 0; b < blocks; ++b) {
    for (size_t k = 0; k < per_block; ++k) means[b] += samples[b * per_block + k];
    means[b] /= static_cast<double>(per_block);
    total += means[b];
  }
  const double mean = total / static_cast<double>(blocks);
  double variance = 0.0;
  for (double m : means) variance += (m - mean) * (m - mean);
  return {mean, std::sqrt(variance / static_cast<double>(blocks * (blocks - 1)))};
}

}  // namespace live2::sim::testing
