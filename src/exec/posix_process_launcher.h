// PosixProcessLauncher: ProcessLauncher on Linux with fork/exec. The child becomes the leader of a new process
// group, gets PR_SET_PDEATHSIG(SIGTERM) (delivered when the launching *thread* exits), has stdin on /dev/null and
// stdout/stderr redirected to files. Liveness of foreign processes is read from /proc. Thread-safe (stateless).
#pragma once

#include "exec/process_launcher.h"

namespace live2 {

class PosixProcessLauncher final : public ProcessLauncher {
 public:
  Result<int64_t> launch(const ProcessSpec& spec) override;
  Result<std::optional<ProcessExit>> try_wait(int64_t pid) override;
  Status signal_group(int64_t pid, int signal) override;
  bool is_worker_of_job(int64_t pid, std::string_view job_id) override;
  std::optional<int64_t> find_worker_of_job(std::string_view job_id) override;
};

}  // namespace live2
