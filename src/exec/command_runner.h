// CommandRunner: runs one program with an argument vector and collects what it printed, so the Slurm executor's
// commands (sbatch, squeue, scontrol, scancel) run the same way on this machine or on a login node over ssh, and a
// fake can stand in for Slurm in tests. Arguments are always a vector: no implementation hands user text to a shell
// unquoted. Implementations are thread-safe. LocalCommandRunner and SshCommandRunner: command_runners.h.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace live2 {

struct CommandOutput {
  int exit_code = 0;    // the program's exit code; 128 + N when signal N ended it
  std::string stdout_text;
  std::string stderr_text;
};

class CommandRunner {
 public:
  virtual ~CommandRunner() = default;

  // Runs argv[0] (looked up on PATH) with argv[1..] and waits for it. A program that ran and failed is an OK
  // result with its exit code; errors are for a program that could not be started (`unavailable`), ran past the
  // runner's time limit (`timeout`, the program is killed) or printed more than the runner keeps
  // (`payload_too_large`, killed too).
  virtual Result<CommandOutput> run(const std::vector<std::string>& argv) = 0;
  // Where commands run, for messages: "this machine" or "ssh login.example.org".
  virtual std::string where() const = 0;
};

}  // namespace live2
