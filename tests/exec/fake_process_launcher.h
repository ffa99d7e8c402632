// FakeProcessLauncher: a ProcessLauncher whose "processes" are records the test drives by hand. A fake worker
// honours SIGTERM by exiting 75 (unless told to ignore it), dies of SIGKILL, and otherwise runs until the test
// calls finish(). Also plays foreign workers (of a previous server) for restart recovery. Thread-safe.
#pragma once

#include <algorithm>
#include <csignal>
#include <map>
#include <mutex>
#include <vector>

#include "exec/process_launcher.h"

namespace live2::testing {

class FakeProcessLauncher final : public ProcessLauncher {
 public:
  Result<int64_t> launch(const ProcessSpec& spec) override {
    std::lock_guard lock(mutex_);
    if (fail_launches_) return Error::make(ErrorCode::internal, "cannot start " + spec.executable + ": No such file");
    const int64_t pid = next_pid_++;
    processes_[pid] = Process{spec, {}, {}, false};
    launched_.push_back(pid);
    peak_running_ = std::max(peak_running_, running_count_locked());
    return pid;
  }

  Result<std::optional<ProcessExit>> try_wait(int64_t pid) override {
    std::lock_guard lock(mutex_);
    auto it = processes_.find(pid);
    if (it == processes_.end() || it->second.reaped)
      return Error::make(ErrorCode::internal, "no child " + std::to_string(pid));
    if (!it->second.exit) return std::optional<ProcessExit>();
    it->second.reaped = true;
    return it->second.exit;
  }

  Status signal_group(int64_t pid, int signal) override {
    std::lock_guard lock(mutex_);
    auto it = processes_.find(pid);
    if (it == processes_.end() || it->second.exit) return Status::success();
    it->second.signals.push_back(signal);
    if (signal == SIGKILL) it->second.exit = ProcessExit{std::nullopt, SIGKILL};
    if (signal == SIGTERM && !ignore_sigterm_) it->second.exit = ProcessExit{75, std::nullopt};
    return Status::success();
  }

  bool is_worker_of_job(int64_t pid, std::string_view job_id) override {
    std::lock_guard lock(mutex_);
    auto it = foreign_workers_.find(pid);
    return it != foreign_workers_.end() && it->second == job_id;
  }

  std::optional<int64_t> find_worker_of_job(std::string_view job_id) override {
    std::lock_guard lock(mutex_);
    for (const auto& [pid, owner] : foreign_workers_) {
      if (owner == job_id) return pid;
    }
    return std::nullopt;
  }

  // --- test controls ---
  void finish(int64_t pid, ProcessExit exit) {
    std::lock_guard lock(mutex_);
    processes_.at(pid).exit = exit;
  }
  void set_ignore_sigterm(bool ignore) {
    std::lock_guard lock(mutex_);
    ignore_sigterm_ = ignore;
  }
  void set_fail_launches(bool fail) {
    std::lock_guard lock(mutex_);
    fail_launches_ = fail;
  }
  void add_foreign_worker(int64_t pid, std::string job_id) {
    std::lock_guard lock(mutex_);
    foreign_workers_[pid] = std::move(job_id);
  }
  void end_foreign_worker(int64_t pid) {
    std::lock_guard lock(mutex_);
    foreign_workers_.erase(pid);
  }

  std::vector<int64_t> launched() const {
    std::lock_guard lock(mutex_);
    return launched_;
  }
  ProcessSpec spec(int64_t pid) const {
    std::lock_guard lock(mutex_);
    return processes_.at(pid).spec;
  }
  std::vector<int> signals(int64_t pid) const {
    std::lock_guard lock(mutex_);
    auto it = processes_.find(pid);
    return it == processes_.end() ? std::vector<int>{} : it->second.signals;
  }
  int running_count() const {
    std::lock_guard lock(mutex_);
    return running_count_locked();
  }
  int peak_running() const {
    std::lock_guard lock(mutex_);
    return peak_running_;
  }

 private:
  struct Process {
    ProcessSpec spec;
    std::optional<ProcessExit> exit;
    std::vector<int> signals;
    bool reaped = false;
  };

  int running_count_locked() const {
    return static_cast<int>(std::count_if(processes_.begin(), processes_.end(),
                                          [](const auto& entry) { return !entry.second.reaped; }));
  }

  mutable std::mutex mutex_;
  int64_t next_pid_ = 1000;
  std::map<int64_t, Process> processes_;
  std::vector<int64_t> launched_;
  std::map<int64_t, std::string> foreign_workers_;
  bool ignore_sigterm_ = false;
  bool fail_launches_ = false;
  int peak_running_ = 0;
};

}  // namespace live2::testing
