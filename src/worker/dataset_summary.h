// dataset_summary.json (docs/api.md, "Datasets"; the dashboard plots it): the dataset's sweep fields, replicas, run
// counts by status, the outcome columns with their units, and per sweep point (in grid order) its runs and, per
// outcome, the statistics over the point's completed replicas that have a value (replica_statistics.h). Pure;
// thread safe.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <vector>

#include "worker/dataset_columns.h"
#include "worker/dataset_table.h"

namespace live2::worker {

boost::json::object dataset_summary_json(const std::string& dataset_id, const DatasetTable& table,
                                         const std::vector<DatasetColumn>& columns);

}  // namespace live2::worker
