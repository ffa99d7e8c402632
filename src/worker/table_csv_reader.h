// Reads the worker's own CSV tables (metrics.csv, species_counts.csv: report_files.h) back into rows, columns matched
// by the header's names (table_columns.h), so `live2-sim combine` can put each run's series into dataset.h5. Only
// what the worker writes is accepted: no quoting (no field of these tables holds a comma), every column present.
// Pure functions; thread safe.
#pragma once

#include <string_view>
#include <vector>

#include "sim/simulation.h"
#include "worker/output_status.h"

namespace live2::worker {

OutputResult<std::vector<sim::MetricsRow>> parse_metrics_csv(std::string_view text);
OutputResult<std::vector<sim::SpeciesCountRecord>> parse_species_counts_csv(std::string_view text);

}  // namespace live2::worker
