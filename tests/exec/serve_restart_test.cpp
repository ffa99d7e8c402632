// The whole restart story with real processes: `live2 serve` is killed with SIGKILL while its worker runs; the
// kernel's death signal makes the worker checkpoint and exit; a new server on the same data dir resumes the job
// from that checkpoint and completes it.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// Gone, or a zombie nobody has reaped yet (orphans in a container without an init that reaps).
bool process_gone(int64_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const size_t comm_end = stat.rfind(')');
  return stat.empty() || comm_end == std::string::npos || stat.substr(comm_end + 2, 1) == "Z";
}

// Polls GET /api/v1/jobs/{id} until `condition` holds or `timeout` passes; returns the last job object.
json::object wait_for_job(const testing::ServerProcess& server, const std::string& key, const std::string& job_id,
                          const std::function<bool(const json::object&)>& condition,
                          std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  json::object job;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto response = testing::http_get(server.url("/api/v1/jobs/" + job_id), testing::bearer(key));
    if (response.status == 200) {
      job = json::parse(response.body).as_object();
      if (condition(job)) return job;
    }
    std::this_thread::sleep_for(50ms);
  }
  return job;
}

TEST(ServeRestart, KilledServerLetsTheWorkerCheckpointAndTheNextServerResumesTheJob) {
  testing::ServerOptions options;
  options.env = {{"LIVE2_MAX_CONCURRENT_JOBS", "1"}, {"LIVE2_WORKER_THREADS", "1"}};
  testing::ServerProcess server(options);
  server.start();
  const std::string key = server.create_key("user_1");
  const auto created = testing::http_post_json(
      server.url("/api/v1/jobs"),
      R"({"job_type": "run_simulation", "params": {"simulation_config": {"mode": "open_chemistry",
          "config": {"num_particles": 300, "steps": 20000}}}})",
      testing::bearer(key));
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string job_id(json::parse(created.body).at("job_id").as_string());

  const json::object running = wait_for_job(
      server, key, job_id, [](const json::object& job) { return job.at("progress").to_number<double>() >= 5; }, 60s);
  ASSERT_EQ(running.at("status").as_string(), "running") << json::serialize(running);
  const int64_t worker_pid = std::stoll(std::string(running.at("executor").at("process_id").as_string()));

  ASSERT_EQ(::kill(server.pid(), SIGKILL), 0);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!process_gone(worker_pid) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  ASSERT_TRUE(process_gone(worker_pid)) << "the worker outlived its server by 30 s";
  const fs::path job_directory = server.data_dir() / "artifacts" / "prod" / "user_1" / job_id;
  EXPECT_NE(read_file(job_directory / "simulation.log").find("stop requested (SIGTERM)"), std::string::npos);

  server.restart();
  const json::object completed = wait_for_job(
      server, key, job_id, [](const json::object& job) { return job.at("status").as_string() == "completed"; }, 120s);
  ASSERT_EQ(completed.at("status").as_string(), "completed") << json::serialize(completed);
  EXPECT_EQ(completed.at("executor").at("attempts").as_int64(), 2);
  EXPECT_NE(read_file(job_directory / "simulation.log").find("resuming from the checkpoint"), std::string::npos);
}

}  // namespace
}  // namespace live2
