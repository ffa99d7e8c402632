// BatchClient's array jobs and dependencies against a fake Batch endpoint on loopback: the SubmitJob body as the
// service model names it (arrayProperties.size, dependsOn[].jobId), the bounds checked before anything is sent, and
// DescribeJobs' arrayProperties of a parent (size, statusSummary) and of a child (index) read back.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "aws/batch_client.h"
#include "aws_test_doubles.h"
#include "fake_http_server.h"

namespace live2::aws {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

struct BatchHarness : testing::ServiceClientHarness {
  explicit BatchHarness(const std::string& endpoint)
      : ServiceClientHarness({"Batch", "batch", "batch", false}, {{"AWS_ENDPOINT_URL_BATCH", endpoint}}),
        batch(client) {}
  BatchClient batch;
};

BatchSubmitRequest request_named(const std::string& name) {
  BatchSubmitRequest request;
  request.job_name = name;
  request.job_queue = "live2-job-queue";
  request.job_definition = "live2-simulation";
  return request;
}

TEST(BatchClientArrays, SubmitSendsTheArraySizeAndTheDependency) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, R"({"jobId":"j-1","jobArn":"arn"})"}; });
  BatchHarness harness(server.base_url());
  BatchSubmitRequest array = request_named("live2-job_a");
  array.array_size = 1000;
  ASSERT_TRUE(harness.batch.submit_job(array).ok());
  BatchSubmitRequest combine = request_named("live2-job_a-combine");
  combine.depends_on = {"j-1"};
  combine.command = {"combine"};
  ASSERT_TRUE(harness.batch.submit_job(combine).ok());
  BatchSubmitRequest plain = request_named("live2-job_b");
  ASSERT_TRUE(harness.batch.submit_job(plain).ok());

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/v1/submitjob");
  const auto first = boost::json::parse(requests[0].body).as_object();
  EXPECT_EQ(first.at("arrayProperties"), boost::json::parse(R"({"size":1000})"));
  EXPECT_FALSE(first.contains("dependsOn"));
  const auto second = boost::json::parse(requests[1].body).as_object();
  EXPECT_EQ(second.at("dependsOn"), boost::json::parse(R"([{"jobId":"j-1"}])"));
  EXPECT_FALSE(second.contains("arrayProperties"));
  EXPECT_EQ(second.at("containerOverrides").at("command"), boost::json::parse(R"(["combine"])"));
  EXPECT_FALSE(first.at("containerOverrides").as_object().contains("command"));
  const auto third = boost::json::parse(requests[2].body).as_object();
  EXPECT_FALSE(third.contains("arrayProperties"));
  EXPECT_FALSE(third.contains("dependsOn"));
}

TEST(BatchClientArrays, SizesOutsideBatchsBoundsAndTooManyDependenciesAreRefusedUnsent) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, R"({"jobId":"j-1"})"}; });
  BatchHarness harness(server.base_url());
  for (int size : {-1, 0, 1, 10'001}) {
    BatchSubmitRequest request = request_named("live2-job_a");
    request.array_size = size;
    Result<BatchSubmitted> refused = harness.batch.submit_job(request);
    ASSERT_FALSE(refused.ok()) << size;
    EXPECT_EQ(refused.error().code, ErrorCode::validation_failed);
    EXPECT_NE(refused.error().message.find("not " + std::to_string(size)), std::string::npos);
  }
  BatchSubmitRequest crowded = request_named("live2-job_c");
  crowded.depends_on.assign(21, "j-0");
  EXPECT_EQ(harness.batch.submit_job(crowded).error().code, ErrorCode::validation_failed);
  EXPECT_TRUE(server.requests().empty());

  for (int size : {2, 10'000}) {
    BatchSubmitRequest request = request_named("live2-job_a");
    request.array_size = size;
    EXPECT_TRUE(harness.batch.submit_job(request).ok()) << size;
  }
  EXPECT_EQ(server.requests().size(), 2u);
}

// Field shapes as Batch answers them (the botocore model's ArrayPropertiesDetail and JobDependency).
TEST(BatchClientArrays, ParentSummaryAndChildIndexAreParsed) {
  const BatchJob parent = parse_batch_job(boost::json::parse(R"({
      "jobId": "p-1", "jobName": "live2-job_a", "status": "PENDING", "createdAt": 5,
      "arrayProperties": {"size": 3, "statusSummary": {"SUBMITTED": 0, "PENDING": 0, "RUNNABLE": 1, "STARTING": 0,
                                                       "RUNNING": 1, "SUCCEEDED": 1, "FAILED": 0}}})")
                                              .as_object());
  EXPECT_EQ(parent.array_size, 3);
  EXPECT_FALSE(parent.array_index.has_value());
  EXPECT_EQ(parent.array_status_summary.size(), 7u);
  EXPECT_EQ(parent.array_status_summary.at("RUNNABLE"), 1);
  EXPECT_EQ(parent.array_status_summary.at("SUCCEEDED"), 1);

  const BatchJob child = parse_batch_job(boost::json::parse(R"({
      "jobId": "p-1:2", "status": "RUNNING", "arrayProperties": {"index": 2},
      "dependsOn": [{"jobId": "x-1"}, {"jobId": "x-2", "type": "N_TO_N"}]})")
                                             .as_object());
  EXPECT_EQ(child.array_index, 2);
  EXPECT_FALSE(child.array_size.has_value());
  EXPECT_TRUE(child.array_status_summary.empty());
  EXPECT_EQ(child.depends_on, (std::vector<std::string>{"x-1", "x-2"}));
  EXPECT_EQ(array_child_id("p-1", 2), "p-1:2");

  const BatchJob plain = parse_batch_job(boost::json::parse(R"({"jobId": "j-9", "status": "RUNNING"})").as_object());
  EXPECT_FALSE(plain.array_size || plain.array_index);
  EXPECT_TRUE(plain.depends_on.empty());
}

}  // namespace
}  // namespace live2::aws
