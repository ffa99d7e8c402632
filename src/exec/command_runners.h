// The two CommandRunners. LocalCommandRunner starts the program on this machine (posix_spawn, stdin /dev/null,
// no other descriptors inherited, of the server's environment only PATH, HOME, USER, LOGNAME, LANG, LC_*, TZ, TMPDIR,
// SSH_AUTH_SOCK and SLURM_*: sbatch hands its environment to the job, and secrets stay in the server) and kills it at the time limit or when its stdout or
// stderr exceeds the byte limit. SshCommandRunner runs it on a login node through OpenSSH's `ssh` (batch mode, a
// configured key and known_hosts file, strict host key checking), with every argument single-quoted for the remote
// shell, so `$(...)`, quotes and spaces arrive as the literal bytes they are. Thread-safe (no mutable state).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exec/command_runner.h"

namespace live2 {

struct CommandLimits {
  int64_t timeout_ms = 60'000;
  int64_t max_output_bytes = 64 << 20;  // per stream: squeue --json on a busy cluster is megabytes
};

class LocalCommandRunner final : public CommandRunner {
 public:
  explicit LocalCommandRunner(CommandLimits limits = {}) : limits_(limits) {}
  Result<CommandOutput> run(const std::vector<std::string>& argv) override;
  std::string where() const override { return "this machine"; }

 private:
  CommandLimits limits_;
};

struct SshTarget {
  std::string host;             // login node; "user@host" picks the user
  int port = 22;
  std::string identity_file;    // private key; empty: ssh's default
  std::string known_hosts_file; // the login node's host key must be in it
  std::string ssh_binary = "ssh";
};

// One word for a POSIX shell: `it's` -> `'it'\''s'`. Every byte, newlines included, stays literal.
std::string shell_quoted(const std::string& word);

class SshCommandRunner final : public CommandRunner {
 public:
  SshCommandRunner(SshTarget target, CommandLimits limits = {});
  Result<CommandOutput> run(const std::vector<std::string>& argv) override;
  std::string where() const override { return "ssh " + target_.host; }

  // The local argv that runs `argv` on the login node (public for tests).
  std::vector<std::string> ssh_argv(const std::vector<std::string>& argv) const;

 private:
  SshTarget target_;
  LocalCommandRunner local_;
};

// A LocalCommandRunner when `target.host` is empty, else an SshCommandRunner to it.
std::unique_ptr<CommandRunner> make_command_runner(const SshTarget& target);

}  // namespace live2
