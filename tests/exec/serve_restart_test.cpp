// The whole restart story with real processes: `live2 serve` is killed with SIGKILL while its worker runs; the
// kernel's death signal makes the worker checkpoint and exit; a new server on the same data dir resumes the job
// from that checkpoint and completes it.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <thread>

#include "support/http_client.h"
#include "support/job_polling.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

// Gone, or a zombie nobody has reaped yet (orphans in a container without an init that reaps).
bool process_gone(int64_t pid) {
  const std::string stat = testing::read_whole_file("/proc/" + std::to_string(pid) + "/stat");
  const size_t comm_end = stat.rfind(')');
  return stat.empty() || comm_end == std::string::npos || stat.substr(comm_end + 2, 1) == "Z";
}

struct RunningJob {
  std::string job_id;
  int64_t worker_pid = 0;
  double progress = 0;
};

// Submits a job of a few seconds (150,000 steps of 300 atoms: long enough that it cannot finish while a loaded
// machine stops the server) and waits until it has progressed.
RunningJob submit_and_wait_until_running(testing::ServerProcess& server, const std::string& key) {
  const auto created = testing::http_post_json(
      server.url("/api/v1/jobs"),
      R"({"job_type": "run_simulation", "params": {"simulation_config": {"mode": "open_chemistry",
          "config": {"num_particles": 300, "steps": 150000}}}})",
      testing::bearer(key));
  EXPECT_EQ(created.status, 202) << created.body;
  RunningJob job;
  if (created.status != 202) return job;
  job.job_id = std::string(json::parse(created.body).at("job_id").as_string());
  const json::object running = testing::wait_for_job(
      server, key, job.job_id, [](const json::object& it) { return it.at("progress").to_number<double>() >= 5; },
      60s);
  EXPECT_EQ(running.at("status").as_string(), "running") << json::serialize(running);
  job.worker_pid = std::stoll(std::string(running.at("executor").at("process_id").as_string()));
  job.progress = running.at("progress").to_number<double>();
  return job;
}

void expect_resumed_to_completion(testing::ServerProcess& server, const std::string& key, const RunningJob& job) {
  const json::object completed = testing::wait_for_job(
      server, key, job.job_id, [](const json::object& it) { return it.at("status").as_string() == "completed"; },
      120s);
  ASSERT_EQ(completed.at("status").as_string(), "completed") << json::serialize(completed) << server.log_text();
  EXPECT_EQ(completed.at("executor").at("attempts").as_int64(), 2);
  const fs::path job_directory = server.data_dir() / "artifacts" / "prod" / "user_1" / job.job_id;
  EXPECT_NE(testing::read_whole_file(job_directory / "simulation.log").find("resuming from the checkpoint"), std::string::npos);
}

// A shutdown grace of 2 s: should a connection still be open at the stop, it is cut after 2 s, well before the job
// could finish, so the stop still reaches the worker while it runs; and well inside ServerProcess::stop's 20 s wait,
// so the test's SIGKILL never races the exit.
testing::ServerOptions one_slot() {
  testing::ServerOptions options;
  options.env = {{"LIVE2_MAX_CONCURRENT_JOBS", "1"}, {"LIVE2_WORKER_THREADS", "1"}, {"LIVE2_SHUTDOWN_GRACE_MS", "2000"}};
  return options;
}

TEST(ServeRestart, KilledServerLetsTheWorkerCheckpointAndTheNextServerResumesTheJob) {
  testing::ServerProcess server(one_slot());
  server.start();
  const std::string key = server.create_key("user_1");
  const RunningJob job = submit_and_wait_until_running(server, key);
  ASSERT_GT(job.worker_pid, 0);

  ASSERT_EQ(::kill(server.pid(), SIGKILL), 0);
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!process_gone(job.worker_pid) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(process_gone(job.worker_pid)) << "the worker outlived its server by 30 s";
  const fs::path job_directory = server.data_dir() / "artifacts" / "prod" / "user_1" / job.job_id;
  EXPECT_NE(testing::read_whole_file(job_directory / "simulation.log").find("stop requested (SIGTERM)"), std::string::npos);

  server.restart();
  expect_resumed_to_completion(server, key, job);
}

TEST(ServeRestart, GracefulStopRequeuesTheRunningJobAndTheNextServerResumesIt) {
  testing::ServerProcess server(one_slot());
  server.start();
  const std::string key = server.create_key("user_1");
  const RunningJob job = submit_and_wait_until_running(server, key);
  ASSERT_GT(job.worker_pid, 0);

  ASSERT_EQ(server.stop(), 0) << server.log_text();
  EXPECT_TRUE(process_gone(job.worker_pid)) << "serve exited before its worker";
  server.start();
  expect_resumed_to_completion(server, key, job);
}

}  // namespace
}  // namespace live2
