// Waiting on a job through the real API, for the integration tests that drive `live2 serve`: polls
// GET /api/v1/jobs/{id} with an API key until a condition on the job's JSON holds or a timeout passes.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <string>

#include "support/server_process.h"

namespace live2::testing {

// Returns the first job object for which `condition` holds, or the last one read (empty when no GET answered 200)
// once `timeout` has passed; a caller asserts on what it got. Polls every `poll_interval`.
boost::json::object wait_for_job(const ServerProcess& server, const std::string& key, const std::string& job_id,
                                 const std::function<bool(const boost::json::object&)>& condition,
                                 std::chrono::milliseconds timeout,
                                 std::chrono::milliseconds poll_interval = std::chrono::milliseconds(50));

}  // namespace live2::testing
