// ProcessLauncher: starts worker processes and watches them, so the local executor's process handling can be
// replaced by a fake in tests. A worker runs in a new process group whose id is its pid, so a signal reaches the
// worker and everything it started. Processes are named by pid; the launcher keeps no state about them beyond
// what the operating system does (it must reap the children it launched: call try_wait until it reports an exit).
// Implementations are thread-safe. PosixProcessLauncher: posix_process_launcher.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace live2 {

// The executor's name for a worker in its environment: a job id, a run's key or a dataset's combine key
// (core/run.h). JOB_ID is the worker's own business (a combine worker's is its dataset's id), this one the executor's.
inline constexpr std::string_view kWorkerKeyVariable = "LIVE2_WORKER_KEY";

struct ProcessSpec {
  std::string executable;                                 // path of the program
  std::vector<std::string> arguments;                     // argv[1..]
  // The child's environment: the launcher's own, minus `unset_environment`, plus `environment` (which wins).
  std::vector<std::pair<std::string, std::string>> environment;
  std::vector<std::string> unset_environment;
  std::filesystem::path working_directory;
  std::filesystem::path stdout_file;                      // truncated and written by the child
  std::filesystem::path stderr_file;
};

struct ProcessExit {
  std::optional<int> exit_code;   // set when the process exited
  std::optional<int> signal;      // set when a signal ended it
};

class ProcessLauncher {
 public:
  virtual ~ProcessLauncher() = default;

  // Starts the process; returns its pid. The child gets SIGTERM if the thread that launched it ends (so a dying
  // server lets its workers checkpoint): launch from a thread that lives as long as the workers should.
  virtual Result<int64_t> launch(const ProcessSpec& spec) = 0;
  // Non-blocking: the exit of a launched child (reaping it), or nullopt while it runs.
  virtual Result<std::optional<ProcessExit>> try_wait(int64_t pid) = 0;
  // Sends `signal` to the process group led by `pid`. A group that no longer exists is not an error.
  virtual Status signal_group(int64_t pid, int signal) = 0;
  // Whether a live process group leader `pid`, not necessarily our child, is the worker of `job_id` (its
  // environment holds kWorkerKeyVariable=<job_id>, or JOB_ID=<job_id>). Guards against pid reuse when taking up
  // workers of a previous server.
  virtual bool is_worker_of_job(int64_t pid, std::string_view job_id) = 0;
  // A live process group leader that is the worker of `job_id`, found by scanning all processes.
  virtual std::optional<int64_t> find_worker_of_job(std::string_view job_id) = 0;
};

}  // namespace live2
