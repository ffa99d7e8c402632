// ApiClient against the real `live2 serve` (local executor running live2-sim) on a loopback port.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "client/api_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace live2::client {
namespace {

namespace json = boost::json;

json::object simulation_request(int64_t particles, int64_t steps) {
  return json::object{
      {"job_type", "run_simulation"},
      {"params", json::object{{"simulation_config",
                               json::object{{"mode", "open_chemistry"},
                                            {"config", json::object{{"num_particles", particles},
                                                                    {"steps", steps},
                                                                    {"seed", 7}}}}}}}};
}

class ApiClientServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new live2::testing::ServerProcess();
    server->start();
    alice_key = new std::string(server->create_key("alice"));
    bob_key = new std::string(server->create_key("bob"));
  }
  static void TearDownTestSuite() {
    delete server;
    delete alice_key;
    delete bob_key;
  }

  ApiClient client_for(const std::string& key) { return ApiClient(ClientConfig{server->base_url(), key}, http); }

  static live2::testing::ServerProcess* server;
  static std::string* alice_key;
  static std::string* bob_key;
  CurlHttpTransport http;
};

live2::testing::ServerProcess* ApiClientServerTest::server = nullptr;
std::string* ApiClientServerTest::alice_key = nullptr;
std::string* ApiClientServerTest::bob_key = nullptr;

TEST_F(ApiClientServerTest, SubmitFollowAndDownloadACompletedJob) {
  ApiClient alice = client_for(*alice_key);
  Result<JobView> submitted = alice.submit_job(simulation_request(64, 400), "client-test-1");
  ASSERT_TRUE(submitted) << submitted.error().message;
  EXPECT_EQ(submitted->status, "queued");

  Result<JobView> again = alice.submit_job(simulation_request(64, 400), "client-test-1");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->job_id, submitted->job_id) << "same idempotency key, same job";

  std::vector<std::string> statuses;
  Result<JobView> finished = alice.follow_events(submitted->job_id, [&](const JobView& job) {
    if (statuses.empty() || statuses.back() != job.status) statuses.push_back(job.status);
    return true;
  });
  ASSERT_TRUE(finished) << finished.error().message << "\n" << server->log_text();
  EXPECT_EQ(finished->status, "completed") << finished->error.value_or("");
  EXPECT_EQ(finished->progress, 100);
  EXPECT_EQ(statuses.back(), "completed");

  Result<JobView> status = alice.get_job(submitted->job_id);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->status, "completed");

  Result<JobPage> page = alice.list_jobs({{"completed"}, std::nullopt, 100, std::nullopt});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_TRUE(std::any_of(page->jobs.begin(), page->jobs.end(),
                          [&](const JobView& job) { return job.job_id == submitted->job_id; }));

  Result<ArtifactListing> listing = alice.list_artifacts(submitted->job_id);
  ASSERT_TRUE(listing) << listing.error().message;
  ASSERT_FALSE(listing->artifacts.empty());
  live2::testing::TempDir downloads("live2-client-download");
  for (const Artifact& artifact : listing->artifacts) {
    Result<std::filesystem::path> saved = alice.download_artifact(artifact, downloads.path());
    ASSERT_TRUE(saved) << artifact.name << ": " << saved.error().message;
    EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(*saved)), artifact.size) << artifact.name;
  }
  EXPECT_TRUE(std::filesystem::exists(downloads.path() / "results.h5"));

  Result<std::string> logs = alice.logs(submitted->job_id, 50);
  ASSERT_TRUE(logs) << logs.error().message;
}

TEST_F(ApiClientServerTest, CancelStopsALongJob) {
  ApiClient alice = client_for(*alice_key);
  Result<JobView> submitted = alice.submit_job(simulation_request(2000, 50'000'000), std::nullopt);
  ASSERT_TRUE(submitted) << submitted.error().message;
  Result<JobView> cancelled = alice.cancel_job(submitted->job_id);
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_TRUE(cancelled->status == "cancelled" || cancelled->cancel_requested) << cancelled->status;
  Result<JobView> last = alice.follow_events(submitted->job_id, [](const JobView&) { return true; });
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(last->status, "cancelled");

  Result<JobView> again = alice.cancel_job(submitted->job_id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(again.error().http_status, 409);
}

TEST_F(ApiClientServerTest, ErrorsCarryTheApiErrorObject) {
  ApiClient alice = client_for(*alice_key);
  json::object invalid = simulation_request(1, 0);
  Result<JobView> rejected = alice.submit_job(invalid, std::nullopt);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::validation_failed);
  EXPECT_EQ(rejected.error().http_status, 422);
  EXPECT_FALSE(rejected.error().request_id.empty());
  std::vector<std::string> fields;
  for (const FieldError& detail : rejected.error().details) fields.push_back(detail.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "params.simulation_config.config.steps"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "params.simulation_config.config.num_particles"), fields.end());

  Result<JobView> mine = alice.submit_job(simulation_request(2000, 50'000'000), std::nullopt);
  ASSERT_TRUE(mine) << mine.error().message;
  Result<JobView> hidden = client_for(*bob_key).get_job(mine->job_id);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::not_found);
  ASSERT_TRUE(alice.cancel_job(mine->job_id));

  Result<JobPage> anonymous = client_for("sk_live_00000000000000000000000000000000").list_jobs({});
  ASSERT_FALSE(anonymous);
  EXPECT_EQ(anonymous.error().code, ErrorCode::unauthorized);
}

}  // namespace
}  // namespace live2::client
