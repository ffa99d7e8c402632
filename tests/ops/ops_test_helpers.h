// Helpers of the ops integration tests: a `live2 serve` set up for bursts of submissions, a counted burst, and where a
// program is on PATH.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server_test_helpers.h"
#include "support/temp_dir.h"

namespace live2::ops {

// The program's path on PATH, empty when it is not installed (run_command does not search PATH).
inline std::string find_program(const std::string& name) {
  const std::string path = getenv("PATH") != nullptr ? getenv("PATH") : "/usr/bin:/bin";
  for (size_t start = 0; start <= path.size();) {
    const size_t end = std::min(path.find(':', start), path.size());
    const std::filesystem::path candidate = std::filesystem::path(path.substr(start, end - start)) / name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return "";
}

// Submissions stay queued behind one worker that waits to be stopped, as they would behind real simulations, and the
// enterprise tier's limits are lifted. The worker script goes into `dir`.
inline live2::testing::ServerOptions burst_server_options(const live2::testing::TempDir& dir) {
  const auto worker = dir.path() / "waiting_worker.sh";
  std::ofstream(worker) << "#!/bin/sh\nexec sleep 3600\n";
  std::filesystem::permissions(worker, std::filesystem::perms::owner_all);
  live2::testing::ServerOptions options;
  options.env = {{"LIVE2_TIER_ENTERPRISE_REQUESTS_PER_MINUTE", "1000000"},
                 {"LIVE2_TIER_ENTERPRISE_CONCURRENT_JOBS", "1000000"},
                 {"LIVE2_TIER_ENTERPRISE_JOBS_PER_DAY", "1000000"},
                 {"LIVE2_WORKER_BINARY", worker.string()},
                 {"LIVE2_MAX_CONCURRENT_JOBS", "1"}};
  return options;
}

// `threads` clients submitting small jobs until stop(); accepted() is every job id answered 202 so far.
class SubmitBurst {
 public:
  SubmitBurst(std::string jobs_url, std::string key, int threads) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, jobs_url, key] {
        while (!stopping_) {
          auto response = live2::testing::http_post_json(jobs_url, api::testing::job_body(), live2::testing::bearer(key));
          if (response.status != 202) continue;
          std::lock_guard lock(mutex_);
          accepted_.push_back(std::string(api::testing::parse_body(response).at("job_id").as_string()));
        }
      });
    }
  }
  ~SubmitBurst() { stop(); }

  void stop() {
    stopping_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }
  std::vector<std::string> accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }
  // Waits until at least `count` jobs were accepted (false after 30 s).
  bool wait_for(size_t count) const {
    return api::testing::eventually([&] { return accepted().size() >= count; }, 30'000);
  }

 private:
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> accepted_;
  std::vector<std::thread> threads_;
};

}  // namespace live2::ops
