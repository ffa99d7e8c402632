#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace live2::worker::testing {
namespace {

const std::set<std::string>& job_variables() {
  static const std::set<std::string> names = {"JOB_ID",    "USER_ID",        "JOB_PARAMS",       "S3_BUCKET",
                                              "ENV",       "ARTIFACT_PREFIX", "AWS_BATCH_JOB_ID", "AWS_BATCH_JOB_ATTEMPT",
                                              "AWS_REGION", "OUTPUT_BUDGET_BYTES", "RUN_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"};
  return names;
}

std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string name = text.substr(0, text.find('='));
    if (job_variables().count(name) == 0 && extra.count(name) == 0) entries.push_back(text);
  }
  for (const auto& [name, value] : extra) entries.push_back(name + "=" + value);
  // Test machines share their cores between many processes; spinning OpenMP threads then wait for descheduled
  // peers and a 2-thread run takes 20 times longer. Results do not depend on the wait policy.
  if (extra.count("OMP_WAIT_POLICY") == 0 && std::getenv("OMP_WAIT_POLICY") == nullptr) {
    entries.push_back("OMP_WAIT_POLICY=passive");
  }
  return entries;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& arguments,
                           const std::map<std::string, std::string>& environment,
                           const std::filesystem::path& stdout_file, const std::filesystem::path& stderr_file) {
  std::vector<std::string> argv_strings = arguments;
  std::vector<std::string> env_strings = child_environment(environment);
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env_strings);
  const int out = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0 || err < 0) throw std::runtime_error("cannot open output files for the child process");
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out, STDOUT_FILENO);
    ::dup2(err, STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out);
  ::close(err);
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::send_signal(int signal) {
  if (!reaped_) ::kill(pid_, signal);
}

int ChildProcess::wait(double timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  while (true) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      reaped_ = true;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string read_file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

CompletedProcess run_process(const std::vector<std::string>& arguments,
                             const std::map<std::string, std::string>& environment,
                             const std::filesystem::path& scratch_dir, double timeout_seconds) {
  std::filesystem::create_directories(scratch_dir);
  const std::filesystem::path out = scratch_dir / "stdout.txt";
  const std::filesystem::path err = scratch_dir / "stderr.txt";
  ChildProcess child(arguments, environment, out, err);
  const int code = child.wait(timeout_seconds);
  return CompletedProcess{code, read_file_text(out), read_file_text(err)};
}

}  // namespace live2::worker::testing
