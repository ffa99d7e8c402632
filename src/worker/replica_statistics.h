// The statistics of one outcome over a sweep point's completed replicas (dataset_summary.json): n, the mean, the
// sample standard deviation (n - 1 in the denominator) and the two-sided 95 % Student-t confidence interval of the
// mean, mean +- t(0.975, n - 1) * s / sqrt(n) (t from Boost.Math). With n = 1 there is no spread to measure: the
// standard deviation and the interval are absent. Pure; thread safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace live2::worker {

struct ReplicaStatistics {
  int64_t n = 0;
  double mean = 0;                   // meaningful only for n >= 1
  std::optional<double> stddev;      // n >= 2
  std::optional<double> ci95_low;    // n >= 2
  std::optional<double> ci95_high;   // n >= 2
};

ReplicaStatistics replica_statistics(const std::vector<double>& samples);

// t(0.975, degrees_of_freedom): the two-sided 95 % quantile of Student's t distribution; degrees_of_freedom >= 1.
double student_t_975(int64_t degrees_of_freedom);

}  // namespace live2::worker
