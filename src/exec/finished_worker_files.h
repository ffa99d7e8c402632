// What a local worker left behind when it ended, read for judge_finished_worker (worker_outcome.h): whether it wrote
// its metadata.json, and the first and last lines of its stderr. Shared by the job, run and combine workers of
// LocalExecutor. Reads files; call it before a store transaction, whose mutations must stay quick. Thread-safe.
#pragma once

#include <filesystem>
#include <optional>

#include "exec/process_launcher.h"
#include "exec/worker_outcome.h"

namespace live2 {

// `cancel_requested` is left for the caller to set.
FinishedWorker finished_worker_from_files(const std::optional<ProcessExit>& exit, bool server_stopping,
                                          const std::filesystem::path& metadata_file,
                                          const std::filesystem::path& stderr_file);

}  // namespace live2
