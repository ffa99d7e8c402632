#include "worker/progress_tracker.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

#include "base/time_format.h"

namespace live2::worker {
namespace {

// The step at which the k-th percent of the run is complete (rounded up so it is never early).
int64_t percent_step(int64_t percent, int64_t total_steps) { return (percent * total_steps + 99) / 100; }

}  // namespace

ProgressTracker::ProgressTracker(const Clock& clock, int64_t num_particles, int64_t total_steps, int64_t start_step,
                                 int attempt, std::optional<double> estimated_total_seconds)
    : clock_(clock),
      num_particles_(num_particles),
      total_steps_(total_steps),
      start_step_(start_step),
      attempt_(attempt),
      estimated_total_seconds_(estimated_total_seconds),
      start_seconds_(clock.monotonic_seconds()),
      last_report_seconds_(start_seconds_),
      next_boundary_(next_percent_boundary(start_step)) {}

int64_t ProgressTracker::next_percent_boundary(int64_t step) const {
  int64_t percent = std::min<int64_t>(100, step * 100 / total_steps_);
  while (percent < 100 && percent_step(percent, total_steps_) <= step) ++percent;
  return std::max(percent_step(percent, total_steps_), std::min(step + 1, total_steps_));
}

bool ProgressTracker::report_due(int64_t step) {
  return step >= next_boundary_ || step >= total_steps_ ||
         clock_.monotonic_seconds() - last_report_seconds_ >= kMaxReportIntervalSeconds;
}

ProgressReport ProgressTracker::report(int64_t step) {
  const double now = clock_.monotonic_seconds();
  last_report_seconds_ = now;
  next_boundary_ = next_percent_boundary(step);

  ProgressReport report;
  report.step = step;
  report.steps = total_steps_;
  report.progress = static_cast<double>(step) / static_cast<double>(total_steps_);
  report.attempt = attempt_;
  report.updated_at = format_iso8601_ms(clock_.now_ms());
  const double elapsed = now - start_seconds_;
  const int64_t steps_done = step - start_step_;
  if (steps_done > 0 && elapsed > 0) {
    report.particle_steps_per_second = static_cast<double>(num_particles_) * steps_done / elapsed;
    report.eta_seconds = elapsed / steps_done * static_cast<double>(total_steps_ - step);
  } else if (estimated_total_seconds_) {
    report.eta_seconds = *estimated_total_seconds_ * (1.0 - report.progress);
  }
  return report;
}

boost::json::object progress_json(const ProgressReport& report) {
  boost::json::object object;
  object["step"] = report.step;
  object["steps"] = report.steps;
  object["progress"] = report.progress;
  object["eta_seconds"] = report.eta_seconds ? boost::json::value(*report.eta_seconds) : boost::json::value(nullptr);
  object["particle_steps_per_second"] = report.particle_steps_per_second;
  object["attempt"] = report.attempt;
  object["updated_at"] = report.updated_at;
  return object;
}

std::string progress_log_line(const ProgressReport& report) {
  const std::string eta = report.eta_seconds ? fmt::format("{:.0f} s", *report.eta_seconds) : "unknown";
  return fmt::format("step {}/{} ({:.1f} %), {:.3g} particle-steps/s, ETA {}", report.step, report.steps,
                     report.progress * 100.0, report.particle_steps_per_second, eta);
}

}  // namespace live2::worker
