#include "client/api_client.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>

#include "fake_http_transport.h"
#include "support/temp_dir.h"

namespace live2::client {
namespace {

constexpr const char* kJobId = "job_0abcdefgh0123456789abcdef";

std::string job_json(const std::string& status, double progress) {
  return R"({"job_id":")" + std::string(kJobId) + R"(","status":")" + status +
         R"(","progress":)" + std::to_string(progress) + R"(,"eta_seconds":12,"error":null})";
}

class ApiClientTest : public ::testing::Test {
 protected:
  FakeHttpTransport http;
  ApiClient client{ClientConfig{"http://api.test/", "sk_live_0123", 5000}, http};
};

TEST_F(ApiClientTest, SubmitSendsKeyIdempotencyAndBody) {
  http.answer(202, job_json("queued", 0));
  boost::json::object body{{"job_type", "run_simulation"}};
  Result<JobView> job = client.submit_job(body, "key-1");
  ASSERT_TRUE(job) << job.error().message;
  EXPECT_EQ(job->status, "queued");
  EXPECT_EQ(job->eta_seconds, 12);
  const HttpRequest& sent = http.requests.at(0);
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "http://api.test/api/v1/jobs");
  EXPECT_EQ(sent.body, R"({"job_type":"run_simulation"})");
  auto has = [&](const std::string& name, const std::string& value) {
    return std::find(sent.headers.begin(), sent.headers.end(), std::pair{name, value}) != sent.headers.end();
  };
  EXPECT_TRUE(has("Authorization", "Bearer sk_live_0123"));
  EXPECT_TRUE(has("Idempotency-Key", "key-1"));
  EXPECT_TRUE(has("Content-Type", "application/json"));
}

TEST_F(ApiClientTest, MapsTheApiErrorObjectWithDetails) {
  http.answer(422,
              R"({"error":{"code":"validation_failed","message":"invalid job","details":[)"
              R"({"field":"params.simulation_config.config.steps","message":"must be at least 1"},)"
              R"({"field":"params.simulation_config.mode","message":"is required"}]}})",
              {{"x-request-id", "req_42"}});
  Result<JobView> job = client.submit_job({}, std::nullopt);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, ErrorCode::validation_failed);
  EXPECT_EQ(job.error().http_status, 422);
  EXPECT_EQ(job.error().request_id, "req_42");
  ASSERT_EQ(job.error().details.size(), 2u);
  EXPECT_EQ(job.error().details[0].field, "params.simulation_config.config.steps");
  EXPECT_EQ(job.error().details[1].message, "is required");
}

TEST_F(ApiClientTest, RateLimitErrorsSayWhenToRetry) {
  http.answer(429, R"({"error":{"code":"rate_limited","message":"too many requests"}})", {{"retry-after", "12"}});
  Result<JobPage> page = client.list_jobs({});
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::rate_limited);
  EXPECT_EQ(page.error().message, "too many requests (retry after 12 s)");
}

TEST_F(ApiClientTest, ReportsNonJsonErrorsAndUnreachableServers) {
  http.answer(502, "<html>bad gateway</html>");
  Result<JobView> gateway = client.get_job(kJobId);
  ASSERT_FALSE(gateway);
  EXPECT_EQ(gateway.error().code, ErrorCode::service_error);
  EXPECT_EQ(gateway.error().provider_code, "http_502");
  Result<JobView> unreachable = client.get_job(kJobId);  // no answer scripted: the fake fails like a refused connect
  ASSERT_FALSE(unreachable);
  EXPECT_EQ(unreachable.error().code, ErrorCode::connection_failed);
}

TEST_F(ApiClientTest, RefusesMalformedJobIdsWithoutCallingTheServer) {
  Result<JobView> job = client.get_job("../keys");
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, ErrorCode::invalid_job_id);
  EXPECT_TRUE(http.requests.empty());
}

TEST_F(ApiClientTest, ListEncodesTheQueryAndReadsTheCursor) {
  http.answer(200, R"({"jobs":[)" + job_json("running", 40) + R"(],"next_cursor":"c/1"})");
  Result<JobPage> page = client.list_jobs({{"queued", "running"}, std::nullopt, 5, "a b"});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(http.requests.at(0).url, "http://api.test/api/v1/jobs?limit=5&status=queued%2Crunning&cursor=a%20b");
  ASSERT_EQ(page->jobs.size(), 1u);
  EXPECT_EQ(page->jobs[0].progress, 40);
  EXPECT_EQ(page->next_cursor, "c/1");
}

TEST_F(ApiClientTest, RunsOfADatasetAreListedWithTheirQuery) {
  http.answer(200, R"({"job_id":")" + std::string(kJobId) +
                       R"(","runs":[{"index":3,"status":"failed"}],"next_cursor":"r1_4"})");
  Result<RunPage> page = client.list_runs(kJobId, {"failed", 1, "r1_3"});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(http.requests.at(0).url,
            "http://api.test/api/v1/jobs/" + std::string(kJobId) + "/runs?limit=1&status=failed&cursor=r1_3");
  ASSERT_EQ(page->runs.size(), 1u);
  EXPECT_EQ(page->runs.at(0).at("index"), boost::json::value(3));
  EXPECT_EQ(page->next_cursor, "r1_4");
  http.answer(200, R"({"runs":{}})");
  EXPECT_EQ(client.list_runs(kJobId, {}).error().code, ErrorCode::invalid_response);
  EXPECT_FALSE(client.list_runs("../jobs", {}).ok());
  EXPECT_EQ(http.requests.size(), 2u) << "a malformed id is refused before any request";
}

TEST_F(ApiClientTest, FollowEventsReopensABrokenStreamAndEndsAtTerminal) {
  http.answer(200, "event: job\ndata: " + job_json("running", 10) + "\n\n: heartbeat\n\n");
  http.answer(200, "event: job\ndata: " + job_json("running", 60) + "\n\nevent: job\ndata: " +
                       job_json("completed", 100) + "\n\n");
  std::vector<double> seen;
  Result<JobView> last = client.follow_events(kJobId, [&](const JobView& job) {
    seen.push_back(job.progress);
    return true;
  });
  ASSERT_TRUE(last) << last.error().message;
  EXPECT_EQ(last->status, "completed");
  EXPECT_EQ(seen, (std::vector<double>{10, 60, 100}));
  EXPECT_EQ(http.requests.size(), 2u);
  EXPECT_EQ(http.requests[0].url, std::string("http://api.test/api/v1/jobs/") + kJobId + "/events");
}

TEST_F(ApiClientTest, FollowEventsPassesOnAnHttpError) {
  http.answer(404, R"({"error":{"code":"not_found","message":"no such job"}})");
  Result<JobView> last = client.follow_events(kJobId, [](const JobView&) { return true; });
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code, ErrorCode::not_found);
}

TEST_F(ApiClientTest, DownloadChecksSizeAndKeepsNamesInsideTheFolder) {
  live2::testing::TempDir dir;
  http.answer(200, "0123456789");
  Result<std::filesystem::path> saved =
      client.download_artifact({"k", "sub/results.bin", 10, "", "", "/files/k?signature=x"}, dir.path());
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(*saved, dir.path() / "sub/results.bin");
  EXPECT_EQ(std::filesystem::file_size(*saved), 10u);
  EXPECT_EQ(http.requests.at(0).url, "http://api.test/files/k?signature=x");
  for (const auto& [name, value] : http.requests.at(0).headers) EXPECT_NE(name, "Authorization");

  http.answer(200, "short");
  Result<std::filesystem::path> truncated =
      client.download_artifact({"k", "log.txt", 10, "", "", "https://s3.test/log"}, dir.path());
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().code, ErrorCode::size_mismatch);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "log.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "log.txt.part"));

  for (const char* name : {"../escape", "/etc/passwd", "a/../../b", ""}) {
    Result<std::filesystem::path> unsafe = client.download_artifact({"k", name, 1, "", "", "/x"}, dir.path());
    ASSERT_FALSE(unsafe) << name;
    EXPECT_EQ(unsafe.error().code, ErrorCode::unsafe_name) << name;
  }
}

}  // namespace
}  // namespace live2::client
