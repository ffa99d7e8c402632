// The run's metrics table (the worker's metrics.csv: a header row, then one row per analysis step) as the JSON of
// GET /api/v1/jobs/{id}/metrics: {"job_id": ..., "columns": [...], "rows": [[...], ...]}. Cells that are integers
// become JSON integers, other numbers doubles, anything else strings. Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "base/result.h"

namespace live2::api {

// Errors: `invalid_metrics` when the text has no header row or a row has a different number of cells.
Result<boost::json::object> metrics_csv_to_json(std::string_view job_id, std::string_view csv_text);

}  // namespace live2::api
