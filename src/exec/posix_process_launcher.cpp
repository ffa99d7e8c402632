#include "exec/posix_process_launcher.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <system_error>

#include "worker/worker_contract.h"

extern char** environ;

namespace live2 {
namespace {

Error system_error(const std::string& what) {
  return Error::make(ErrorCode::internal, what + ": " + std::strerror(errno));
}

// The child's environment as "NAME=value" strings, built before fork (allocation is not allowed after it).
std::vector<std::string> child_environment(const ProcessSpec& spec) {
  std::set<std::string, std::less<>> replaced(spec.unset_environment.begin(), spec.unset_environment.end());
  for (const auto& [name, value] : spec.environment) replaced.insert(name);
  std::vector<std::string> result;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view variable(*entry);
    if (!replaced.contains(variable.substr(0, variable.find('=')))) result.emplace_back(variable);
  }
  for (const auto& [name, value] : spec.environment) result.push_back(name + "=" + value);
  return result;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Runs in the forked child: only async-signal-safe calls until execve. Reports failure through `error_pipe`.
[[noreturn]] void exec_child(pid_t parent, const char* executable, char* const* argv, char* const* envp,
                             const char* working_directory, int stdin_fd, int stdout_fd, int stderr_fd,
                             int error_pipe) {
  auto fail = [error_pipe](int error_number) {
    [[maybe_unused]] ssize_t written = ::write(error_pipe, &error_number, sizeof error_number);
    ::_exit(127);
  };
  if (::setpgid(0, 0) != 0) fail(errno);
  if (::prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) fail(errno);
  if (::getppid() != parent) ::_exit(75);  // the server died before the death signal was armed
  // Signal mask and ignored signals survive execve; the worker must see SIGTERM whatever the server's threads do.
  sigset_t empty;
  sigemptyset(&empty);
  ::sigprocmask(SIG_SETMASK, &empty, nullptr);
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD}) ::signal(signal_number, SIG_DFL);
  if (::dup2(stdin_fd, STDIN_FILENO) < 0 || ::dup2(stdout_fd, STDOUT_FILENO) < 0 ||
      ::dup2(stderr_fd, STDERR_FILENO) < 0) {
    fail(errno);
  }
  // Descriptors other threads opened without O_CLOEXEC (sockets, the database) must not leak into the worker.
  ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  if (working_directory[0] != '\0' && ::chdir(working_directory) != 0) fail(errno);
  ::execve(executable, argv, envp);
  fail(errno);
  ::_exit(127);
}

std::optional<std::string> read_proc_file(int64_t pid, const char* name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + name, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

Result<int64_t> PosixProcessLauncher::launch(const ProcessSpec& spec) {
  std::vector<std::string> argument_strings{spec.executable};
  argument_strings.insert(argument_strings.end(), spec.arguments.begin(), spec.arguments.end());
  std::vector<std::string> environment_strings = child_environment(spec);
  std::vector<char*> argv = pointers_to(argument_strings);
  std::vector<char*> envp = pointers_to(environment_strings);
  const std::string working_directory = spec.working_directory.string();

  constexpr int kOutputFlags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
  FileDescriptor stdin_fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (stdin_fd.get() < 0) return system_error("cannot open /dev/null");
  FileDescriptor stdout_fd(::open(spec.stdout_file.c_str(), kOutputFlags, 0644));
  if (stdout_fd.get() < 0) return system_error("cannot open " + spec.stdout_file.string());
  FileDescriptor stderr_fd(::open(spec.stderr_file.c_str(), kOutputFlags, 0644));
  if (stderr_fd.get() < 0) return system_error("cannot open " + spec.stderr_file.string());
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return system_error("cannot create a pipe");
  FileDescriptor error_read(pipe_fds[0]);
  FileDescriptor error_write(pipe_fds[1]);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return system_error("cannot fork");
  if (pid == 0) {
    exec_child(parent, spec.executable.c_str(), argv.data(), envp.data(), working_directory.c_str(),
               stdin_fd.get(), stdout_fd.get(), stderr_fd.get(), error_write.get());
  }
  ::setpgid(pid, pid);  // also done by the child; whichever runs first, signals to the group work at once
  error_write.reset();
  int child_errno = 0;
  ssize_t got;
  do {
    got = ::read(error_read.get(), &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    errno = child_errno;
    return system_error("cannot start " + spec.executable);
  }
  return static_cast<int64_t>(pid);
}

Result<std::optional<ProcessExit>> PosixProcessLauncher::try_wait(int64_t pid) {
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(static_cast<pid_t>(pid), &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return system_error("cannot wait for process " + std::to_string(pid));
  if (got == 0) return std::optional<ProcessExit>();
  ProcessExit exit;
  if (WIFEXITED(status)) exit.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) exit.signal = WTERMSIG(status);
  return std::optional<ProcessExit>(exit);
}

Status PosixProcessLauncher::signal_group(int64_t pid, int signal) {
  if (pid <= 1) return Error::make(ErrorCode::internal, "refusing to signal process group " + std::to_string(pid));
  if (::kill(-static_cast<pid_t>(pid), signal) != 0 && errno != ESRCH) {
    return system_error("cannot signal process group " + std::to_string(pid));
  }
  return Status::success();
}

bool PosixProcessLauncher::is_worker_of_job(int64_t pid, std::string_view job_id) {
  if (pid <= 1) return false;
  // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses.
  const auto stat = read_proc_file(pid, "stat");
  if (!stat) return false;
  const size_t comm_end = stat->rfind(')');
  if (comm_end == std::string::npos) return false;
  std::istringstream fields(stat->substr(comm_end + 1));
  char state = 0;
  int64_t parent_pid = 0;
  int64_t group = 0;
  fields >> state >> parent_pid >> group;
  if (!fields || state == 'Z' || state == 'X' || group != pid) return false;

  const auto environment = read_proc_file(pid, "environ");
  if (!environment) return false;
  const std::string with_separators = std::string(1, '\0') + *environment;
  const auto holds = [&](std::string_view variable) {
    std::string entry(1, '\0');
    entry.append(variable).append(1, '=').append(job_id).append(1, '\0');
    return with_separators.find(entry) != std::string::npos;
  };
  return holds(kWorkerKeyVariable) || holds(worker::env::kJobId);
}

std::optional<int64_t> PosixProcessLauncher::find_worker_of_job(std::string_view job_id) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int64_t pid = std::stoll(name);
    if (pid != ::getpid() && is_worker_of_job(pid, job_id)) return pid;
  }
  return std::nullopt;
}

}  // namespace live2
