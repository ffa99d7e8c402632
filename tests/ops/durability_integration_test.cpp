// A 202 is durable: `live2 serve` killed with SIGKILL in the middle of a burst of submissions still has, after a
// restart, every job it had answered 202 for (a power loss cannot be simulated here; group_commit_test.cpp checks the
// fsync policy that covers it).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "server_test_helpers.h"
#include "support/temp_dir.h"

namespace live2::ops {
namespace {

using live2::api::testing::job_body;
using live2::api::testing::parse_body;
using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::http_post_json;
using live2::testing::ServerOptions;
using live2::testing::ServerProcess;

// Submissions stay queued behind one worker that waits to be stopped, as they would behind real simulations.
ServerOptions burst_server_options(const std::filesystem::path& worker) {
  ServerOptions options;
  options.env = {{"LIVE2_TIER_ENTERPRISE_REQUESTS_PER_MINUTE", "1000000"},
                 {"LIVE2_TIER_ENTERPRISE_CONCURRENT_JOBS", "1000000"},
                 {"LIVE2_TIER_ENTERPRISE_JOBS_PER_DAY", "1000000"},
                 {"LIVE2_WORKER_BINARY", worker.string()},
                 {"LIVE2_MAX_CONCURRENT_JOBS", "1"}};
  return options;
}

TEST(DurableAcceptance, EveryJobAnswered202SurvivesASigkillDuringABurst) {
  live2::testing::TempDir dir("live2-durable");
  const auto worker = dir.path() / "waiting_worker.sh";
  std::ofstream(worker) << "#!/bin/sh\nexec sleep 3600\n";
  std::filesystem::permissions(worker, std::filesystem::perms::owner_all);
  ServerProcess server(burst_server_options(worker));
  server.start();
  const std::string key = server.create_key("burst", "enterprise");

  std::mutex accepted_mutex;
  std::vector<std::string> accepted;
  std::atomic<bool> server_gone{false};
  std::vector<std::thread> submitters;
  for (int t = 0; t < 16; ++t) {
    submitters.emplace_back([&] {
      while (!server_gone) {
        auto response = http_post_json(server.url("/api/v1/jobs"), job_body(), bearer(key));
        if (response.status != 202) continue;
        std::lock_guard lock(accepted_mutex);
        accepted.push_back(std::string(parse_body(response).at("job_id").as_string()));
      }
    });
  }
  // Kill once the burst is well under way, whatever the machine's speed.
  ASSERT_TRUE(live2::api::testing::eventually([&] {
    std::lock_guard lock(accepted_mutex);
    return accepted.size() >= 300;
  }, 30'000));
  server.kill_now();
  server_gone = true;
  for (auto& submitter : submitters) submitter.join();

  server.start();
  std::lock_guard lock(accepted_mutex);
  int missing = 0;
  for (const std::string& job_id : accepted) {
    if (http_get(server.url("/api/v1/jobs/" + job_id), bearer(key)).status != 200) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << accepted.size() << " jobs answered 202";
}

}  // namespace
}  // namespace live2::ops
