// FakeBatchProcess: runs tests/fakes/fake_batch.py as a child process on a free loopback port for the lifetime of
// the object (SIGTERM in the destructor), with the given worker command, extra job environment and extra arguments
// (the queue's compute environments, its time limit actions).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace live2::testing {

class FakeBatchProcess {
 public:
  FakeBatchProcess(const std::filesystem::path& state_dir, const std::string& worker_command,
                   const std::vector<std::string>& job_environment = {},
                   const std::vector<std::string>& extra_arguments = {}) {
    const std::filesystem::path port_file = state_dir / "fake-batch.port";
    std::vector<std::string> arguments{"python3", LIVE2_FAKE_BATCH, "--port-file", port_file.string(),
                                       "--worker", worker_command, "--step-seconds", "0.05"};
    for (const std::string& entry : job_environment) {
      arguments.push_back("--env");
      arguments.push_back(entry);
    }
    arguments.insert(arguments.end(), extra_arguments.begin(), extra_arguments.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (std::string& argument : arguments) argv.push_back(argument.data());
      argv.push_back(nullptr);
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 300 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::ifstream port(port_file);
    if (!(port >> port_)) throw std::runtime_error("fake_batch.py did not start");
  }
  ~FakeBatchProcess() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  FakeBatchProcess(const FakeBatchProcess&) = delete;
  FakeBatchProcess& operator=(const FakeBatchProcess&) = delete;

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace live2::testing
