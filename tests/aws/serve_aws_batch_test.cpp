// `live2 serve` with LIVE2_EXECUTOR=aws_batch, through its REST API: a job posted to live2 runs as a Batch job on
// the fake Batch (which starts the real live2-sim with S3_BUCKET set), completes, and its artifacts are listed with
// presigned s3rver URLs that download without an API key.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>

#include "fake_batch_process.h"
#include "s3_harness.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace live2 {
namespace {

namespace json = boost::json;
using ::live2::testing::bearer;
using ::live2::testing::http_get;
using ::live2::testing::http_post_json;

TEST(ServeWithAwsBatch, JobRunsOnBatchAndItsArtifactsDownloadFromS3) {
  const aws::testing::S3rverEndpoint s3rver = aws::testing::s3rver_endpoint();
  if (!s3rver.unavailable_reason.empty()) GTEST_SKIP() << s3rver.unavailable_reason;
  ::live2::testing::TempDir dir;
  const std::map<std::string, std::string> aws_environment{
      {"AWS_ACCESS_KEY_ID", "S3RVER"}, {"AWS_SECRET_ACCESS_KEY", "S3RVER"},  {"AWS_REGION", "us-east-1"},
      {"AWS_CONFIG_FILE", "/dev/null"}, {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
      {"AWS_ENDPOINT_URL_S3", s3rver.url}};
  std::vector<std::string> worker_environment;
  for (const auto& [name, value] : aws_environment) worker_environment.push_back(name + "=" + value);
  ::live2::testing::FakeBatchProcess fake(
      dir.path(), (::live2::testing::binary_dir() / "live2-sim").string() + " run --out {workdir} --threads 1",
      worker_environment);

  ::live2::testing::ServerOptions options;
  options.env = aws_environment;
  options.env.insert({{"LIVE2_EXECUTOR", "aws_batch"},
                      {"AWS_S3_BUCKET", "live2-test"},
                      {"ENV", "serve"},
                      {"AWS_ENDPOINT_URL_BATCH", fake.endpoint()},
                      {"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", fake.endpoint()}});
  ::live2::testing::ServerProcess server(options);
  server.start();
  const std::string key = server.create_key("usr_serve");

  const auto created = http_post_json(
      server.url("/api/v1/jobs"),
      R"({"job_type": "run_simulation", "params": {"simulation_config": {"mode": "open_chemistry", "config": )"
      R"({"num_particles": 200, "steps": 400, "seed": 7, "analysis_interval": 50, "snapshot_interval": 100}}}})",
      bearer(key));
  ASSERT_EQ(created.status, 202) << created.body;
  const std::string job_id(json::parse(created.body).at("job_id").as_string());

  json::object job;
  for (int i = 0; i < 240; ++i) {
    job = json::parse(http_get(server.url("/api/v1/jobs/" + job_id), bearer(key)).body).as_object();
    const std::string status(job.at("status").as_string());
    if (status == "completed" || status == "failed" || status == "cancelled") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_EQ(job.at("status").as_string(), "completed") << json::serialize(job) << "\n" << server.log_text();

  const auto listing = http_get(server.url("/api/v1/jobs/" + job_id + "/artifacts?expires_in=120"), bearer(key));
  ASSERT_EQ(listing.status, 200) << listing.body;
  const json::object artifacts = json::parse(listing.body).as_object();
  EXPECT_EQ(artifacts.at("expires_in").as_int64(), 120);
  std::string metadata_url;
  for (const json::value& artifact : artifacts.at("artifacts").as_array()) {
    if (artifact.at("name").as_string() == "metadata.json") metadata_url = artifact.at("url").as_string().c_str();
  }
  ASSERT_TRUE(metadata_url.starts_with(s3rver.url + "/live2-test/serve/usr_serve/" + job_id + "/metadata.json?"))
      << metadata_url;
  const auto metadata = http_get(metadata_url);
  EXPECT_EQ(metadata.status, 200);
  EXPECT_NE(metadata.body.find(job_id), std::string::npos);

  // What reconciling costs in Batch calls is visible to the operator.
  const std::string metrics = http_get(server.url("/metrics"), bearer(server.create_key("ops", "research", true))).body;
  EXPECT_NE(metrics.find("live2_executor_backend_calls_total{operation=\"SubmitJob\"} 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("live2_executor_backend_calls_total{operation=\"DescribeJobs\"} "), std::string::npos);
  EXPECT_NE(metrics.find("live2_executor_cycles_total "), std::string::npos);
  // The finished job's Fargate usage and cost, totalled by tier only: no label names the job or its user.
  for (const char* family :
       {"live2_batch_vcpu_hours_total", "live2_batch_gb_hours_total", "live2_batch_cost_usd_total"}) {
    EXPECT_NE(metrics.find(std::string(family) + "{tier=\"research\"} "), std::string::npos) << family;
  }
  EXPECT_EQ(metrics.find(job_id), std::string::npos);
  EXPECT_EQ(metrics.find("usr_serve"), std::string::npos);
  EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace live2
