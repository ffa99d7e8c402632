// The job object of docs/api.md as JSON: the one rendering used by the API, SSE, webhooks and the CLI's tests.
// Pure; thread-safe.
#pragma once

#include <boost/json/object.hpp>

#include "core/job.h"

namespace live2 {

// Links are absolute paths under /api/v1 (clients resolve them against the URL they called). Everything is allocated
// from `storage`: a caller that only serializes the object can pass a stack arena (boost::json::monotonic_resource).
boost::json::object job_to_json(const Job& job, boost::json::storage_ptr storage = {});

}  // namespace live2
