// dataset.h5: the dataset table as column groups, /runs/<column> (dataset_columns.h; the layout of results.h5's
// /metrics), and per completed run its time series, /run_<index>/metrics/<column> and
// /run_<index>/species_counts/{step,time,key,count}, read from the run's metrics.csv and species_counts.csv in
// `work_dir/runs/<index>/` (where read_dataset_table fetched them). Every dataset has a `units` attribute; the root
// has dataset_id, replicas, sweep_fields and live2_version. In /runs, outcome columns are float64 with NaN where a
// run has no value (the way pandas holds a column with gaps), run_index int64, seed uint64, text UTF-8 strings
// ("" where empty), numeric swept fields float64. One run's series in memory at a time. Not thread safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "worker/dataset_columns.h"
#include "worker/dataset_table.h"
#include "worker/output_status.h"

namespace live2::worker {

OutputStatus write_dataset_file(const std::filesystem::path& path, const std::string& dataset_id,
                                const DatasetTable& table, const std::vector<DatasetColumn>& columns,
                                const std::filesystem::path& work_dir);

}  // namespace live2::worker
