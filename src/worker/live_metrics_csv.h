// LiveMetricsCsv: keeps metrics.csv current while a run goes, so a running job already has charts.
//
// Every update rewrites the whole file atomically (temp file + rename) from the run's metrics history: a reader
// sees a complete earlier or later version, never a partial line, and a resumed run (whose history comes back
// from the checkpoint) ends with a file byte-identical to an uninterrupted run's. Only rows not yet formatted are
// formatted; the text is kept. Updates while running are rate-limited so a long history on a slow sink stays
// cheap: due at the first analysis, then once `min_interval_seconds` have passed and at least
// kBackoffFactor times as long as the last update (write + publish) took. One owner; the sink and clock outlive it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/clock.h"
#include "sim/simulation.h"
#include "worker/artifact_sink.h"

namespace live2::worker {

class LiveMetricsCsv {
 public:
  // Updates then take at most 1 / kBackoffFactor of the run's wall time.
  static constexpr double kBackoffFactor = 20.0;

  LiveMetricsCsv(std::filesystem::path file, ArtifactSink& sink, const Clock& clock, double min_interval_seconds);

  // `history` is the run's whole metrics history so far (Simulation::metrics_history(): it only grows).
  // Writes and publishes (not final) when an update is due; otherwise does nothing.
  OutputStatus publish_if_due(const std::vector<sim::MetricsRow>& history);
  // Writes and publishes (not final) now: on a stop, so the published file matches the checkpoint.
  OutputStatus publish_now(const std::vector<sim::MetricsRow>& history);
  // Writes the file without publishing it: at the end, where the worker publishes every artifact in its order.
  OutputStatus write(const std::vector<sim::MetricsRow>& history);

 private:
  std::filesystem::path file_;
  ArtifactSink& sink_;
  const Clock& clock_;
  double min_interval_seconds_;
  std::string text_;
  size_t rows_in_text_ = 0;
  bool updated_ = false;
  double next_update_seconds_ = 0;
};

}  // namespace live2::worker
