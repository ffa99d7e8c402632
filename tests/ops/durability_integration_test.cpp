// A 202 is durable: `live2 serve` killed with SIGKILL in the middle of a burst of submissions still has, after a
// restart, every job it had answered 202 for (a power loss cannot be simulated here; tests/store/group_commit_test.cpp
// checks the fsync policy that covers it).
#include <gtest/gtest.h>

#include "ops_test_helpers.h"

namespace live2::ops {
namespace {

using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::ServerProcess;

TEST(DurableAcceptance, EveryJobAnswered202SurvivesASigkillDuringABurst) {
  live2::testing::TempDir dir("live2-durable");
  ServerProcess server(burst_server_options(dir));
  server.start();
  const std::string key = server.create_key("burst", "enterprise");

  SubmitBurst burst(server.url("/api/v1/jobs"), key, 16);
  ASSERT_TRUE(burst.wait_for(300));  // well under way, whatever the machine's speed
  server.kill_now();
  burst.stop();

  server.start();
  const std::vector<std::string> accepted = burst.accepted();
  int missing = 0;
  for (const std::string& job_id : accepted) {
    if (http_get(server.url("/api/v1/jobs/" + job_id), bearer(key)).status != 200) ++missing;
  }
  EXPECT_EQ(missing, 0) << "of " << accepted.size() << " jobs answered 202";
}

}  // namespace
}  // namespace live2::ops
