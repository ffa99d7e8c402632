// The real `live2 serve` with its data directory (SQLite store and local artifacts) on a small tmpfs that fills up
// while a job runs: submits get 503 storage_full, the running job fails cleanly, and when space returns the service
// takes jobs and runs them again without a restart; the database passes PRAGMA integrity_check.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/small_filesystem.h"

namespace live2::testing {
namespace {

namespace json = boost::json;

std::string job_body(const std::string& config) {
  return R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry","config":{)" + config +
         "}}}}";
}

// Polls the job until `done` says so or `timeout_s` passes; returns the last job object.
template <typename Done>
json::object wait_for_job(const ServerProcess& server, const std::string& key, const std::string& job_id,
                          double timeout_s, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  json::object job;
  while (true) {
    const HttpResponse response = http_get(server.url("/api/v1/jobs/" + job_id), bearer(key));
    if (response.status == 200) job = json::parse(response.body).as_object();
    if ((!job.empty() && done(job)) || std::chrono::steady_clock::now() > deadline) return job;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::string status_of(const json::object& job) {
  return job.contains("status") ? std::string(job.at("status").as_string()) : "";
}

bool is_terminal(const json::object& job) {
  const std::string status = status_of(job);
  return status == "completed" || status == "failed" || status == "cancelled";
}

std::string integrity_check(const std::filesystem::path& database) {
  sqlite3* db = nullptr;
  std::string result = "cannot open";
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return result;
}

TEST(ServeOnAFullDisk, Refuses503FailsTheRunningJobCleanlyAndResumesWhenSpaceReturns) {
  if (auto missing = SmallFilesystem::unavailable_reason()) GTEST_SKIP() << *missing;
  SmallFilesystem disk(32 << 20);
  ServerOptions options;
  options.data_dir = disk.path() / "data";
  options.env = {{"LIVE2_MIN_FREE_DISK_BYTES", std::to_string(1 << 20)},
                 {"LIVE2_MAX_CONCURRENT_JOBS", "1"},
                 {"LIVE2_WORKER_THREADS", "1"}};
  ServerProcess server(options);
  server.start();
  const std::string key = server.create_key("alice", "research");

  // A job that keeps writing snapshots, so it is writing when the disk fills.
  const HttpResponse long_job =
      http_post_json(server.url("/api/v1/jobs"),
                     job_body(R"("num_particles":500,"steps":2000000,"snapshot_interval":200)"), bearer(key));
  ASSERT_EQ(long_job.status, 202) << long_job.body;
  const std::string long_id(json::parse(long_job.body).at("job_id").as_string());
  const json::object running = wait_for_job(server, key, long_id, 30, [](const json::object& job) {
    return status_of(job) == "running" && job.at("progress").to_number<double>() > 0;
  });
  ASSERT_EQ(status_of(running), "running") << json::serialize(running);

  disk.fill();
  const HttpResponse refused = http_post_json(server.url("/api/v1/jobs"), job_body(R"("num_particles":100)"),
                                              bearer(key));
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_NE(refused.body.find("\"code\":\"storage_full\""), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("out of disk space"), std::string::npos) << refused.body;
  EXPECT_FALSE(refused.header("retry-after").empty());
  EXPECT_EQ(http_get(server.url("/health")).status, 200) << "the service itself keeps answering";

  // The worker cannot write: it stops (exit 1). Its job is recorded as failed as soon as the store can write, which
  // on a full disk may be only after space returns.
  wait_for_job(server, key, long_id, 20, is_terminal);
  disk.free_up();
  const json::object failed = wait_for_job(server, key, long_id, 30, is_terminal);
  EXPECT_EQ(status_of(failed), "failed") << json::serialize(failed) << "\n" << server.log_text();
  // Stopped by its own check (exit 1), not killed by a crash on the way out.
  EXPECT_EQ(failed.at("executor").at("exit_code"), json::value(1)) << json::serialize(failed);
  EXPECT_FALSE(std::filesystem::exists(server.data_dir() / "artifacts" / "prod" / "alice" / long_id / "metadata.json"))
      << "a run stopped by the full disk must not claim to be complete";

  // Space is back: the same server takes and runs jobs again.
  const HttpResponse accepted = http_post_json(server.url("/api/v1/jobs"),
                                               job_body(R"("num_particles":100,"steps":500)"), bearer(key));
  ASSERT_EQ(accepted.status, 202) << accepted.body;
  const std::string small_id(json::parse(accepted.body).at("job_id").as_string());
  const json::object completed = wait_for_job(server, key, small_id, 60, is_terminal);
  EXPECT_EQ(status_of(completed), "completed") << json::serialize(completed) << "\n" << server.log_text();

  EXPECT_EQ(server.stop(), 0);
  EXPECT_EQ(integrity_check(server.data_dir() / "live2.db"), "ok");
}

}  // namespace
}  // namespace live2::testing
