#include "exec/command_runners.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

extern char** environ;

namespace live2 {
namespace {

int64_t monotonic_ms() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000;
}

std::string program_text(const std::vector<std::string>& argv) { return argv.empty() ? "" : argv.front(); }

// The server's environment minus everything Slurm's commands and ssh do not need: sbatch exports its environment
// into the job, and the server's holds secrets (AWS credentials, LIVE2_* settings).
std::vector<std::string> command_environment() {
  static constexpr std::string_view kKept[] = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "TZ", "TMPDIR", "SSH_AUTH_SOCK"};
  std::vector<std::string> kept;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::string_view name = variable.substr(0, variable.find('='));
    if (name.starts_with("SLURM_") || name.starts_with("LC_") ||
        std::find(std::begin(kKept), std::end(kKept), name) != std::end(kKept)) {
      kept.emplace_back(variable);
    }
  }
  return kept;
}

// Closes what it holds when it goes out of scope.
struct Pipe {
  int read_fd = -1;
  int write_fd = -1;
  ~Pipe() {
    if (read_fd >= 0) ::close(read_fd);
    if (write_fd >= 0) ::close(write_fd);
  }
};

// Reaps `pid`, returning its exit code (128 + N for signal N).
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace

Result<CommandOutput> LocalCommandRunner::run(const std::vector<std::string>& argv) {
  if (argv.empty()) return Error::make(ErrorCode::internal, "no program to run");
  std::array<Pipe, 2> pipes;  // stdout, stderr
  for (Pipe& pipe : pipes) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error::make(ErrorCode::io_error, std::string("pipe: ") + std::strerror(errno));
    pipe.read_fd = fds[0];
    pipe.write_fd = fds[1];
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipes[0].write_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipes[1].write_fd, STDERR_FILENO);
  // Descriptors other threads opened without O_CLOEXEC (sockets, the database) stay in the server.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD}) sigaddset(&defaults, signal_number);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> arguments;
  for (const std::string& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
  arguments.push_back(nullptr);
  std::vector<std::string> environment = command_environment();
  std::vector<char*> variables;
  for (std::string& variable : environment) variables.push_back(variable.data());
  variables.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      ::posix_spawnp(&pid, argv.front().c_str(), &actions, &attributes, arguments.data(), variables.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return Error::make(ErrorCode::unavailable, "cannot run " + program_text(argv) + ": " + std::strerror(spawned));
  }
  for (Pipe& pipe : pipes) {
    ::close(pipe.write_fd);
    pipe.write_fd = -1;
  }

  CommandOutput output;
  std::array<std::string*, 2> texts{&output.stdout_text, &output.stderr_text};
  std::array<bool, 2> open{true, true};
  const int64_t deadline_ms = monotonic_ms() + limits_.timeout_ms;
  std::optional<Error> failure;
  char buffer[65536];
  while ((open[0] || open[1]) && !failure) {
    std::array<pollfd, 2> polled{};
    for (size_t i = 0; i < 2; ++i) polled[i] = {open[i] ? pipes[i].read_fd : -1, POLLIN, 0};
    const int64_t left_ms = deadline_ms - monotonic_ms();
    if (left_ms <= 0) {
      failure = Error::make(ErrorCode::timeout, program_text(argv) + " did not finish within " +
                                                    std::to_string(limits_.timeout_ms) + " ms");
      break;
    }
    const int ready = ::poll(polled.data(), polled.size(), static_cast<int>(std::min<int64_t>(left_ms, 1000)));
    if (ready < 0 && errno != EINTR) {
      failure = Error::make(ErrorCode::io_error, std::string("poll: ") + std::strerror(errno));
      break;
    }
    for (size_t i = 0; i < 2; ++i) {
      if (!open[i] || polled[i].revents == 0) continue;
      const ssize_t got = ::read(pipes[i].read_fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        open[i] = false;
        continue;
      }
      texts[i]->append(buffer, static_cast<size_t>(got));
      if (static_cast<int64_t>(texts[i]->size()) > limits_.max_output_bytes) {
        failure = Error::make(ErrorCode::payload_too_large, program_text(argv) + " printed more than " +
                                                                std::to_string(limits_.max_output_bytes) + " bytes");
      }
    }
  }
  if (failure) ::kill(pid, SIGKILL);
  output.exit_code = wait_for(pid);
  if (failure) return *failure;
  return output;
}

std::string shell_quoted(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

SshCommandRunner::SshCommandRunner(SshTarget target, CommandLimits limits)
    : target_(std::move(target)), local_(limits) {}

std::vector<std::string> SshCommandRunner::ssh_argv(const std::vector<std::string>& argv) const {
  std::vector<std::string> command{target_.ssh_binary,
                                   "-o", "BatchMode=yes",
                                   "-o", "StrictHostKeyChecking=yes",
                                   "-o", "ConnectTimeout=10",
                                   "-p", std::to_string(target_.port)};
  if (!target_.known_hosts_file.empty()) {
    command.insert(command.end(), {"-o", "UserKnownHostsFile=" + target_.known_hosts_file});
  }
  if (!target_.identity_file.empty()) {
    command.insert(command.end(), {"-o", "IdentitiesOnly=yes", "-i", target_.identity_file});
  }
  // The remote side joins everything after the host into one string for the login shell: each word is quoted.
  std::string remote;
  for (const std::string& word : argv) {
    if (!remote.empty()) remote += ' ';
    remote += shell_quoted(word);
  }
  command.insert(command.end(), {"--", target_.host, remote});
  return command;
}

Result<CommandOutput> SshCommandRunner::run(const std::vector<std::string>& argv) {
  if (argv.empty()) return Error::make(ErrorCode::internal, "no program to run");
  Result<CommandOutput> output = local_.run(ssh_argv(argv));
  // 255 is ssh's own failure (no connection, refused key, unknown host key), never the remote program's answer.
  if (output.ok() && output->exit_code == 255) {
    std::string reason = output->stderr_text;
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\r')) reason.pop_back();
    return Error::make(ErrorCode::unavailable, "ssh to " + target_.host + " failed: " + reason);
  }
  return output;
}

std::unique_ptr<CommandRunner> make_command_runner(const SshTarget& target) {
  if (target.host.empty()) return std::make_unique<LocalCommandRunner>();
  return std::make_unique<SshCommandRunner>(target);
}

}  // namespace live2
