#include "worker/live_metrics_csv.h"

#include <algorithm>

#include "worker/atomic_file.h"
#include "worker/report_files.h"
#include "worker/worker_contract.h"

namespace live2::worker {

LiveMetricsCsv::LiveMetricsCsv(std::filesystem::path file, ArtifactSink& sink, const Clock& clock,
                               double min_interval_seconds)
    : file_(std::move(file)),
      sink_(sink),
      clock_(clock),
      min_interval_seconds_(min_interval_seconds),
      text_(metrics_csv_header()) {}

OutputStatus LiveMetricsCsv::publish_if_due(const std::vector<sim::MetricsRow>& history) {
  if (updated_ && clock_.monotonic_seconds() < next_update_seconds_) return {};
  return publish_now(history);
}

OutputStatus LiveMetricsCsv::publish_now(const std::vector<sim::MetricsRow>& history) {
  const double started = clock_.monotonic_seconds();
  if (OutputStatus written = write(history); !written) return written;
  if (OutputStatus published = sink_.publish(artifact::kMetricsCsv, file_, /*final=*/false); !published) {
    return published;
  }
  const double finished = clock_.monotonic_seconds();
  updated_ = true;
  next_update_seconds_ = finished + std::max(min_interval_seconds_, kBackoffFactor * (finished - started));
  return {};
}

OutputStatus LiveMetricsCsv::write(const std::vector<sim::MetricsRow>& history) {
  for (; rows_in_text_ < history.size(); ++rows_in_text_) text_ += metrics_csv_line(history[rows_in_text_]);
  return write_file_atomically(file_, text_);
}

}  // namespace live2::worker
