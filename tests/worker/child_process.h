// Test helper: runs a program (the real live2-sim) as a child process with an explicit environment, its
// stdout/stderr going to files, so tests can signal it, wait for it and read what it printed.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace live2::worker::testing {

class ChildProcess {
 public:
  // Starts `arguments[0]` with `arguments`, the environment being this process's minus the worker's job
  // variables (JOB_ID, JOB_PARAMS, S3_BUCKET, ...) plus `environment` (and OMP_WAIT_POLICY=passive unless set).
  ChildProcess(const std::vector<std::string>& arguments, const std::map<std::string, std::string>& environment,
               const std::filesystem::path& stdout_file, const std::filesystem::path& stderr_file);
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();  // kills the child if it is still running

  void send_signal(int signal);
  // The exit code, or 128 + signal number when killed; -1 when it did not end within timeout_seconds (it is then
  // killed).
  int wait(double timeout_seconds);

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

struct CompletedProcess {
  int exit_code;
  std::string stdout_text;
  std::string stderr_text;
};

// Runs to completion (at most timeout_seconds); output is captured through files in `scratch_dir`.
CompletedProcess run_process(const std::vector<std::string>& arguments,
                             const std::map<std::string, std::string>& environment,
                             const std::filesystem::path& scratch_dir, double timeout_seconds = 120);

std::string read_file_text(const std::filesystem::path& file);

}  // namespace live2::worker::testing
