// How the local executor writes what it knows of a worker into the job it runs: the pid as the executor's external
// id, and the local state (STARTING, RUNNING, ...) as the job's executor status. Shared by the job and the dataset
// halves of LocalExecutor. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/job.h"

namespace live2 {

// The pid an external id holds, nullopt when it holds none (empty, not a number, or 0/1).
std::optional<int64_t> parse_pid(const std::string& text);

// Moves the job's executor view to `external_status` at `now_ms`.
void set_external_status(Job& job, const std::string& external_status, int64_t now_ms);

}  // namespace live2
