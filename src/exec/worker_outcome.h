// What a finished worker means for its job, and the one short sentence that says why a failed job failed: the
// worker's own reason line when it wrote one, else how it ended (exit codes and the reason line: docs/sim-worker.md).
// Details stay in simulation.log. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "exec/process_launcher.h"

namespace live2 {

// A failing worker's last stderr line starts with this; the rest of the line is its reason.
inline constexpr std::string_view kWorkerReasonPrefix = "live2-sim: ";
inline constexpr size_t kMaxReasonBytes = 300;

struct FinishedWorker {
  std::optional<ProcessExit> exit;   // nullopt: a worker of a previous server, whose exit status is unknowable
  bool cancel_requested = false;
  bool server_stopping = false;      // the executor itself stopped the worker to shut down
  bool metadata_written = false;     // metadata.json exists: the run finished
  std::string stderr_head;           // first lines of the worker's stderr
  std::string stderr_tail;           // last lines of the worker's stderr
};

enum class JobOutcome { completed, failed, cancelled, requeued };

struct WorkerVerdict {
  JobOutcome outcome = JobOutcome::failed;
  std::string error;                 // for failed: why, one line of at most kMaxReasonBytes
};

// The reason a failing worker gave: its last stderr line without kWorkerReasonPrefix, at most kMaxReasonBytes;
// nullopt when that line is not a reason line.
std::optional<std::string> worker_reason(std::string_view stderr_tail);

// A finished run stands (completed, or failed with invalid parameters) even when a cancel raced with it; any other
// end of a worker whose job was asked to cancel is a cancel. Interruptions (exit 75, or a signal while the server
// shuts down) are requeued to resume from the checkpoint.
WorkerVerdict judge_finished_worker(const FinishedWorker& worker);

}  // namespace live2
