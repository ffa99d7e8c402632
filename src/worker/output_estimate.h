// How many bytes a simulation job's artifacts take, estimated at submit from its parameters so that a job over its
// tier's output budget is refused before it runs (docs/tiers.md has the formula and how it was checked against real
// runs). The estimate is an upper bound for what live2-sim writes (src/worker): snapshots and tables in
// results.h5, metrics.csv, the checkpoint, the JSON reports, final.png and simulation.log. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/params.h"

namespace live2::worker {

struct OutputEstimate {
  int64_t snapshot_bytes = 0;  // /snapshots in results.h5
  int64_t metrics_bytes = 0;   // one metrics row in results.h5, metrics.csv and the checkpoint's history, per row
  int64_t per_atom_bytes = 0;  // the checkpoint's atoms and the chemistry tables (species, reactions)
  int64_t log_bytes = 0;       // simulation.log, which grows with the run's wall time
  int64_t fixed_bytes = 0;     // final.png, the JSON reports and the parameters they repeat
  int64_t snapshots = 0;       // how many snapshots the run writes
  int64_t metrics_rows = 0;    // how many analysis rows
  int64_t total_bytes() const;
  // The parameter to change to shrink the estimate most: "snapshot_interval", "analysis_interval", "num_particles"
  // or "steps".
  std::string_view dominant_field() const;
};

OutputEstimate estimate_output_bytes(const sim::SimulationConfig& config);

}  // namespace live2::worker
