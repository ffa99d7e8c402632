// OverlapCheckingLauncher: wraps a real ProcessLauncher and remembers, per job (JOB_ID in the environment), the
// most workers that were alive at once, so a test can assert that a job never had two. A worker counts as alive
// from launch until try_wait reports its exit. Thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>

#include "exec/process_launcher.h"

namespace live2::testing {

class OverlapCheckingLauncher final : public ProcessLauncher {
 public:
  explicit OverlapCheckingLauncher(ProcessLauncher& real) : real_(real) {}

  Result<int64_t> launch(const ProcessSpec& spec) override {
    std::string job_id;
    for (const auto& [name, value] : spec.environment) {
      if (name == "JOB_ID") job_id = value;
    }
    auto pid = real_.launch(spec);
    if (pid) {
      std::lock_guard lock(mutex_);
      job_of_pid_[*pid] = job_id;
      const int alive = ++alive_by_job_[job_id];
      peak_by_job_[job_id] = std::max(peak_by_job_[job_id], alive);
      ++launches_by_job_[job_id];
    }
    return pid;
  }

  Result<std::optional<ProcessExit>> try_wait(int64_t pid) override {
    auto exit = real_.try_wait(pid);
    if (exit && exit->has_value()) {
      std::lock_guard lock(mutex_);
      --alive_by_job_[job_of_pid_[pid]];
    }
    return exit;
  }

  Status signal_group(int64_t pid, int signal) override { return real_.signal_group(pid, signal); }
  bool is_worker_of_job(int64_t pid, std::string_view job_id) override { return real_.is_worker_of_job(pid, job_id); }
  std::optional<int64_t> find_worker_of_job(std::string_view job_id) override {
    return real_.find_worker_of_job(job_id);
  }

  int peak_workers(const std::string& job_id) const {
    std::lock_guard lock(mutex_);
    auto it = peak_by_job_.find(job_id);
    return it == peak_by_job_.end() ? 0 : it->second;
  }
  int launches(const std::string& job_id) const {
    std::lock_guard lock(mutex_);
    auto it = launches_by_job_.find(job_id);
    return it == launches_by_job_.end() ? 0 : it->second;
  }

 private:
  ProcessLauncher& real_;
  mutable std::mutex mutex_;
  std::map<int64_t, std::string> job_of_pid_;
  std::map<std::string, int> alive_by_job_;
  std::map<std::string, int> peak_by_job_;
  std::map<std::string, int> launches_by_job_;
};

}  // namespace live2::testing
