// ProgressTracker: decides when the worker reports progress (every 1 % of the run and at least every 10 s) and
// computes what it reports: rate over the steps this attempt computed and the ETA that follows from it (before any
// step is done, the caller's up-front estimate). progress_json() is the content of progress.json. One owner.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "base/clock.h"

namespace live2::worker {

struct ProgressReport {
  int64_t step = 0;
  int64_t steps = 0;
  double progress = 0;                   // 0 .. 1
  std::optional<double> eta_seconds;     // unknown until a step has been timed and no estimate was given
  double particle_steps_per_second = 0;  // 0 until a step has been timed
  int attempt = 1;
  std::string updated_at;  // ISO 8601 UTC
};

class ProgressTracker {
 public:
  static constexpr double kMaxReportIntervalSeconds = 10.0;

  ProgressTracker(const Clock& clock, int64_t num_particles, int64_t total_steps, int64_t start_step, int attempt,
                  std::optional<double> estimated_total_seconds);

  // The first step at or after which the next 1 % boundary is passed (a chunk should end there).
  int64_t next_percent_boundary(int64_t step) const;
  // True at a new 1 % boundary, at the last step, or when the last report is kMaxReportIntervalSeconds old.
  bool report_due(int64_t step);
  // Builds the report for `step` and restarts the report timer.
  ProgressReport report(int64_t step);

 private:
  const Clock& clock_;
  int64_t num_particles_;
  int64_t total_steps_;
  int64_t start_step_;
  int attempt_;
  std::optional<double> estimated_total_seconds_;
  double start_seconds_;
  double last_report_seconds_;
  int64_t next_boundary_;
};

boost::json::object progress_json(const ProgressReport& report);
// "step 5000/10000 (50.0 %), 1.23e+06 particle-steps/s, ETA 4 s".
std::string progress_log_line(const ProgressReport& report);

}  // namespace live2::worker
