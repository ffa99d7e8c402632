// LogsClient's log group calls against a fake CloudWatch Logs on loopback: the exact JSON 1.1 requests
// (X-Amz-Target, body fields as the service model names them), DescribeLogGroups' answer read across pages, and a
// retention CloudWatch does not allow refused before anything is sent.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "aws/logs_client.h"
#include "aws_test_doubles.h"
#include "fake_http_server.h"

namespace live2::aws {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

struct LogsHarness : testing::ServiceClientHarness {
  explicit LogsHarness(const std::string& endpoint)
      : ServiceClientHarness({"CloudWatch Logs", "logs", "logs", false},
                             {{"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", endpoint}}),
        logs(client) {}
  LogsClient logs;
};

boost::json::value body_of(const FakeRequest& request) { return boost::json::parse(request.body); }

TEST(LogsClient, PutRetentionPolicyIsTheServicesRequest) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, ""}; });
  LogsHarness harness(server.base_url());
  ASSERT_TRUE(harness.logs.put_retention_policy("/aws/batch/job", 90).ok());
  const FakeRequest seen = server.requests().at(0);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.target, "/");
  EXPECT_EQ(seen.headers.at("x-amz-target"), "Logs_20140328.PutRetentionPolicy");
  EXPECT_EQ(seen.headers.at("content-type"), "application/x-amz-json-1.1");
  EXPECT_NE(seen.headers.at("authorization").find("/eu-central-1/logs/aws4_request"), std::string::npos);
  EXPECT_EQ(body_of(seen), boost::json::parse(R"({"logGroupName":"/aws/batch/job","retentionInDays":90})"));
}

TEST(LogsClient, ARetentionCloudWatchDoesNotAllowIsRefusedWithoutACall) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, ""}; });
  LogsHarness harness(server.base_url());
  for (int days : {0, 2, 45, 91, 3650, 4000, -1}) {
    Status refused = harness.logs.put_retention_policy("/aws/batch/job", days);
    ASSERT_FALSE(refused.ok()) << days;
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_input);
    EXPECT_NE(refused.error().message.find("not " + std::to_string(days)), std::string::npos);
  }
  EXPECT_TRUE(server.requests().empty());
  for (int days : {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
                   3653}) {
    EXPECT_TRUE(is_allowed_log_retention(days)) << days;
  }
  EXPECT_EQ(allowed_log_retention_list(),
            "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653");
}

TEST(LogsClient, CreateLogGroupSendsTheName) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, ""}; });
  LogsHarness harness(server.base_url());
  ASSERT_TRUE(harness.logs.create_log_group("/aws/batch/job").ok());
  const FakeRequest seen = server.requests().at(0);
  EXPECT_EQ(seen.headers.at("x-amz-target"), "Logs_20140328.CreateLogGroup");
  EXPECT_EQ(body_of(seen), boost::json::parse(R"({"logGroupName":"/aws/batch/job"})"));
}

// The prefix also matches other groups ("/aws/batch/job-archive"), possibly over several pages; only the exact name
// counts, and a group without retentionInDays keeps its events forever.
TEST(LogsClient, DescribeLogGroupFindsTheExactNameAcrossPages) {
  FakeHttpServer server([](const FakeRequest& request) {
    const auto body = boost::json::parse(request.body).as_object();
    if (!body.contains("nextToken")) {
      return FakeResponse{200, R"({"logGroups":[{"logGroupName":"/aws/batch/job-archive","retentionInDays":7}],
                                  "nextToken":"page-2"})"};
    }
    return FakeResponse{200, R"({"logGroups":[{"logGroupName":"/aws/batch/job","creationTime":1,"storedBytes":0}]})"};
  });
  LogsHarness harness(server.base_url());
  auto group = harness.logs.describe_log_group("/aws/batch/job");
  ASSERT_TRUE(group.ok()) << group.error().message;
  ASSERT_TRUE(group->has_value());
  EXPECT_EQ((*group)->name, "/aws/batch/job");
  EXPECT_FALSE((*group)->retention_days.has_value());
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.at("x-amz-target"), "Logs_20140328.DescribeLogGroups");
  EXPECT_EQ(body_of(requests[0]), boost::json::parse(R"({"logGroupNamePrefix":"/aws/batch/job","limit":50})"));
  EXPECT_EQ(body_of(requests[1]).at("nextToken"), "page-2");
}

TEST(LogsClient, DescribeLogGroupReadsTheRetentionAndAnAbsentGroup) {
  FakeHttpServer server([](const FakeRequest& request) {
    if (request.body.find("/aws/batch/job") != std::string::npos) {
      return FakeResponse{200, R"({"logGroups":[{"logGroupName":"/aws/batch/job","retentionInDays":90}]})"};
    }
    return FakeResponse{200, R"({"logGroups":[]})"};
  });
  LogsHarness harness(server.base_url());
  EXPECT_EQ(harness.logs.describe_log_group("/aws/batch/job").value().value().retention_days, 90);
  EXPECT_FALSE(harness.logs.describe_log_group("/elsewhere").value().has_value());
}

}  // namespace
}  // namespace live2::aws
