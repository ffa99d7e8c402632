// Shared setup for LocalExecutor tests: a real SQLite job store and a local artifact store in a temp dir, plus
// helpers to submit jobs and wait (with a deadline) for the executor's background thread to act.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "artifacts/local_artifact_store.h"
#include "base/clock.h"
#include "base/hashing.h"
#include "core/ids.h"
#include "exec/process_launcher.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2::testing {

class ExecutorFixture : public ::testing::Test {
 protected:
  ExecutorFixture()
      : stores_(open_stores(temp_ / "live2.db", clock_)),
        store_(stores_->jobs()),
        artifacts_(temp_ / "artifacts", "test", "http://127.0.0.1:9", "secret", clock_) {}

  static std::unique_ptr<SqliteStores> open_stores(const std::filesystem::path& file, const Clock& clock) {
    auto opened = SqliteStores::open(file, clock);
    if (!opened) throw std::runtime_error("cannot open the job store: " + opened.error().message);
    return std::move(opened).value();
  }

  Job submit(const std::string& params_json = R"({"simulation_config":{"mode":"open_chemistry"}})",
             const std::string& user_id = "user_1") {
    OsRandomSource random;
    Job job;
    job.job_id = new_job_id(clock_.now_ms(), random);
    job.user_id = user_id;
    job.job_type = "run_simulation";
    job.params_json = params_json;
    job.created_at_ms = clock_.now_ms();
    job.updated_at_ms = job.created_at_ms;
    job.request_fingerprint = sha256_hex(job.job_id);
    auto created = store_.create_job(job, JobQuota{}, clock_.now_ms());
    if (!created) throw std::runtime_error("create_job failed: " + created.error().message);
    return created->job;
  }

  Job job(const std::string& job_id) {
    auto found = store_.get_job(job_id);
    if (!found || !found->has_value()) throw std::runtime_error("job " + job_id + " is gone");
    return **found;
  }

  // Polls the store until `condition` holds for the job or `timeout` passes; returns the last job seen.
  Job wait_for_job(const std::string& job_id, const std::function<bool(const Job&)>& condition,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    Job current = job(job_id);
    while (!condition(current) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      current = job(job_id);
    }
    return current;
  }

  Job wait_for_status(const std::string& job_id, JobStatus status,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return wait_for_job(job_id, [status](const Job& job) { return job.status == status; }, timeout);
  }

  void request_cancel(const std::string& job_id) {
    auto updated = store_.update_job(job_id, [](Job& job) {
      job.cancel_requested = true;
      return true;
    });
    ASSERT_TRUE(updated.ok());
  }

  TempDir temp_{"live2-exec-test"};
  SystemClock clock_;
  std::unique_ptr<SqliteStores> stores_;
  SqliteJobStore& store_;
  LocalArtifactStore artifacts_;
};

// Waits until `condition` holds or `timeout` passes; returns whether it held.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// The value a spawned worker would see for `name` in its environment, "<unset>" when it has none.
inline std::string env_value(const ProcessSpec& spec, const std::string& name) {
  for (const auto& [key, value] : spec.environment) {
    if (key == name) return value;
  }
  return "<unset>";
}

// Writes `content` to `path`, creating its directories: a worker's output as the fake launcher's process leaves it.
inline void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

}  // namespace live2::testing
