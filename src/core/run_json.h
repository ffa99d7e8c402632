// A dataset's run (run.h) as JSON, the items of GET /api/v1/jobs/{job_id}/runs (docs/openapi.yaml `Run`), and the
// runs' endings as dataset_runs.json, which an executor hands to `live2-sim combine` (docs/sim-worker.md). Pure;
// thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include <vector>

#include "core/run.h"

namespace live2 {

boost::json::object run_to_json(const Run& run);

// {"runs": [{"index": 0, "status": "completed"|"failed"|"cancelled", "error": "..."|null}, ...]}, in the order given.
boost::json::object dataset_runs_json(const std::vector<Run>& runs);

}  // namespace live2
