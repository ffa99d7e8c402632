#include "worker/replica_statistics.h"

#include <boost/math/distributions/students_t.hpp>

#include <cmath>

namespace live2::worker {

double student_t_975(int64_t degrees_of_freedom) {
  const boost::math::students_t distribution(static_cast<double>(degrees_of_freedom));
  return boost::math::quantile(distribution, 0.975);
}

ReplicaStatistics replica_statistics(const std::vector<double>& samples) {
  ReplicaStatistics statistics;
  statistics.n = static_cast<int64_t>(samples.size());
  if (samples.empty()) return statistics;
  double sum = 0;
  for (double x : samples) sum += x;
  statistics.mean = sum / static_cast<double>(samples.size());
  if (samples.size() < 2) return statistics;
  // Two passes: the deviations from the mean, not sum of squares minus square of sums (no cancellation).
  double squares = 0;
  for (double x : samples) squares += (x - statistics.mean) * (x - statistics.mean);
  const double stddev = std::sqrt(squares / static_cast<double>(samples.size() - 1));
  const double half_width =
      student_t_975(statistics.n - 1) * stddev / std::sqrt(static_cast<double>(samples.size()));
  statistics.stddev = stddev;
  statistics.ci95_low = statistics.mean - half_width;
  statistics.ci95_high = statistics.mean + half_width;
  return statistics;
}

}  // namespace live2::worker
