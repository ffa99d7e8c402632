// The job status machine of docs/api.md: queued -> running -> completed | failed | cancelled, queued -> any terminal.
// Terminal statuses never change. Pure functions; thread-safe.
#pragma once

#include "base/result.h"
#include "core/job.h"

namespace live2 {

bool is_allowed_transition(JobStatus from, JobStatus to);

// Moves `job` to `to` at `now_ms`, setting started/completed/cancelled timestamps and progress 100 on completion.
// Same status is a no-op success. An illegal move returns a `conflict` error and leaves the job untouched.
Status transition(Job& job, JobStatus to, int64_t now_ms);

// Raises progress monotonically (clamped to 0..100); a lower value is ignored.
void raise_progress(Job& job, double progress_percent);

}  // namespace live2
