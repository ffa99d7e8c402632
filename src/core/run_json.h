// A dataset's run (run.h) as JSON, the items of GET /api/v1/jobs/{job_id}/runs (docs/openapi.yaml `Run`). Pure;
// thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "core/run.h"

namespace live2 {

boost::json::object run_to_json(const Run& run);

}  // namespace live2
