// AwsClient against a fake service on loopback through the real libcurl client: signing, error shapes, retries
// and backoff, connection reuse and timeouts. Plus endpoint resolution and the backoff bounds.
#include <gtest/gtest.h>

#include <atomic>

#include "aws/aws_client.h"
#include "aws/aws_error.h"
#include "aws/protocols.h"
#include "aws_test_doubles.h"
#include "fake_http_server.h"

namespace live2::aws {
namespace {

using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;
using testing::service_error;

// Batch on the test's endpoint (any service would do: signing, retries and errors are the client's).
struct ClientHarness : testing::ServiceClientHarness {
  explicit ClientHarness(const std::string& endpoint, std::optional<int64_t> expires_at_ms = std::nullopt,
                         CurlHttpClientOptions http_options = {})
      : ServiceClientHarness({"Batch", "batch", "batch", false}, {{"AWS_ENDPOINT_URL_BATCH", endpoint}}, expires_at_ms,
                             http_options) {}
};

AwsRequest post_json(bool idempotent = true) {
  AwsRequest request;
  request.method = "POST";
  request.path = "/v1/describejobs";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = R"({"jobs":["a"]})";
  request.idempotent = idempotent;
  return request;
}

TEST(AwsClient, SignsWithTheServiceScopeAndSendsTheBody) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "{}"}; });
  ClientHarness harness(server.base_url());
  ASSERT_TRUE(harness.client.send(post_json()).ok());
  const FakeRequest seen = server.requests().at(0);
  EXPECT_EQ(seen.target, "/v1/describejobs");
  EXPECT_EQ(seen.body, R"({"jobs":["a"]})");
  EXPECT_NE(seen.headers.at("authorization").find("Credential=AKIDTEST/"), std::string::npos);
  EXPECT_NE(seen.headers.at("authorization").find("/eu-central-1/batch/aws4_request"), std::string::npos);
  EXPECT_NE(seen.headers.at("authorization").find("SignedHeaders=content-type;host;x-amz-date"), std::string::npos);
  EXPECT_EQ(seen.headers.at("content-type"), "application/json");
}

TEST(AwsClient, JsonErrorKeepsCodeMessageAndRequestIdAndIsNotRetried) {
  FakeHttpServer server([](const FakeRequest&) {
    return FakeResponse{400, R"({"__type":"ClientException","message":"Job queue does not exist."})",
                        {{"x-amzn-RequestId", "req-123"}, {"Content-Type", "application/json"}}};
  });
  ClientHarness harness(server.base_url());
  Result<HttpResponse> response = harness.client.send(post_json());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().provider_code, "ClientException");
  EXPECT_EQ(response.error().message, "Job queue does not exist.");
  EXPECT_EQ(response.error().request_id, "req-123");
  EXPECT_EQ(response.error().http_status, 400);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(AwsClient, XmlErrorShape) {
  HttpResponse response{404, {{"x-amz-request-id", "r1"}},
                        "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does "
                        "not exist</Message><RequestId>r2</RequestId></Error>"};
  const Error error = error_from_response(response);
  EXPECT_EQ(error.provider_code, "NoSuchBucket");
  EXPECT_EQ(error.message, "The specified bucket does not exist");
  EXPECT_EQ(error.request_id, "r1");
  const Error query_protocol = error_from_response(
      {403, {}, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>q</RequestId>"
                "</ErrorResponse>"});
  EXPECT_EQ(query_protocol.provider_code, "AccessDenied");
  EXPECT_EQ(query_protocol.request_id, "q");
  EXPECT_EQ(error_from_response({404, {}, ""}).provider_code, "NotFound");
}

TEST(AwsClient, Ec2ErrorShape) {
  // EC2's own shape (botocore's ec2 protocol parser): <Response><Errors><Error>, and RequestID spelled with "ID".
  const Error error = error_from_response(
      {400, {}, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>InvalidSubnetID.NotFound"
                "</Code><Message>The subnet ID 'subnet-0gone' does not exist</Message></Error></Errors>"
                "<RequestID>ec2-req</RequestID></Response>"});
  EXPECT_EQ(error.provider_code, "InvalidSubnetID.NotFound");
  EXPECT_EQ(error.message, "The subnet ID 'subnet-0gone' does not exist");
  EXPECT_EQ(error.request_id, "ec2-req");
}

TEST(QueryProtocol, FormBodyIsEncodedAsBotocoreEncodesIt) {
  // The expected body is Python's urllib.parse.urlencode of the same pairs, which botocore sends: Action and Version
  // first, a space as '+' (moto re-encodes the form that way before it checks the signature).
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "<CreateRoleResponse/>"}; });
  ClientHarness harness(server.base_url());
  ASSERT_TRUE(call_query(harness.client, "CreateRole", "2010-05-08",
                         {{"AssumeRolePolicyDocument", R"({"a": [1, "b~c*"]})"},
                          {"Description", "live2 (created by live2 infra apply)"}})
                  .ok());
  EXPECT_EQ(server.requests().at(0).body,
            "Action=CreateRole&Version=2010-05-08&AssumeRolePolicyDocument=%7B%22a%22%3A+%5B1%2C+%22b~c%2A%22%5D%7D"
            "&Description=live2+%28created+by+live2+infra+apply%29");
}

TEST(AwsClient, TransientCodesAreRetriedEvenForSubmissions) {
  // S3's RequestTimeout and PriorRequestNotComplete mean the service did not run the request.
  for (const char* code : {"RequestTimeout", "PriorRequestNotComplete"}) {
    std::atomic<int> calls = 0;
    FakeHttpServer server([&calls, code](const FakeRequest&) {
      if (calls++ == 0) return FakeResponse{400, std::string("<Error><Code>") + code + "</Code><Message>m</Message></Error>"};
      return FakeResponse{200, "{}"};
    });
    ClientHarness harness(server.base_url());
    EXPECT_TRUE(harness.client.send(post_json(false)).ok()) << code;
    EXPECT_EQ(server.requests().size(), 2u) << code;
  }
}

// Hands out "AKIDOLD" until told the credentials expired, then "AKIDNEW".
class RefreshableCredentials final : public CredentialsProvider {
 public:
  Result<AwsCredentials> get() override { return AwsCredentials{key, "secret", "token", std::nullopt, "test"}; }
  void invalidate() override {
    key = "AKIDNEW";
    ++invalidations;
  }
  std::string key = "AKIDOLD";
  int invalidations = 0;
};

TEST(AwsClient, ExpiredTokenFetchesFreshCredentialsAndSendsAgain) {
  FakeHttpServer server([](const FakeRequest& request) {
    if (request.headers.at("authorization").find("AKIDOLD") != std::string::npos) {
      return FakeResponse{403, R"({"__type":"ExpiredTokenException","message":"The security token included in the )"
                               R"(request is expired"})"};
    }
    return FakeResponse{200, "{}"};
  });
  ClientHarness harness(server.base_url());
  RefreshableCredentials credentials;
  AwsClient client({"Batch", "batch", "batch", false}, {"eu-central-1", {}, {}},
                   {{"AWS_ENDPOINT_URL_BATCH", server.base_url()}},
                   {harness.http, credentials, harness.clock, harness.sleeper, harness.random});
  EXPECT_TRUE(client.send(post_json(false)).ok());
  EXPECT_EQ(credentials.invalidations, 1);
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_TRUE(harness.sleeper.sleeps_ms().empty());  // no backoff: nothing was overloaded
}

TEST(AwsClient, RetriesServerErrorsWithJitteredCappedBackoff) {
  std::atomic<int> calls{0};
  FakeHttpServer server([&calls](const FakeRequest&) {
    return ++calls <= 2 ? FakeResponse{503, "{}"} : FakeResponse{200, R"({"jobs":[]})"};
  });
  ClientHarness harness(server.base_url());
  Result<HttpResponse> response = harness.client.send(post_json());
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->body, R"({"jobs":[]})");
  const std::vector<int64_t> sleeps = harness.sleeper.sleeps_ms();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_LE(sleeps[0], 200);  // base 100 ms * 2^1
  EXPECT_LE(sleeps[1], 400);
}

TEST(AwsClient, GivesUpAfterMaxAttempts) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{500, R"({"__type":"ServerException"})"}; });
  ClientHarness harness(server.base_url());
  Result<HttpResponse> response = harness.client.send(post_json());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().provider_code, "ServerException");
  EXPECT_EQ(server.requests().size(), 5u);
}

TEST(AwsClient, ThrottlingIsRetriedAndSlowsTheRateLimiter) {
  std::atomic<int> calls{0};
  FakeHttpServer server([&calls](const FakeRequest&) {
    return ++calls == 1 ? FakeResponse{400, R"({"__type":"TooManyRequestsException","message":"Too Many Requests"})"}
                        : FakeResponse{200, "{}"};
  });
  ClientHarness harness(server.base_url());
  const double rate_before = harness.client.rate_limiter().rate_per_s();
  ASSERT_TRUE(harness.client.send(post_json(false)).ok());
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_LT(harness.client.rate_limiter().rate_per_s(), rate_before);
}

TEST(AwsClient, NonIdempotentCallIsNotRetriedAfterAServerError) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{500, "{}"}; });
  ClientHarness harness(server.base_url());
  EXPECT_FALSE(harness.client.send(post_json(false)).ok());
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(AwsClient, ConnectionRefusedIsAConnectionErrorRetriedEvenForSubmissions) {
  ClientHarness harness("http://127.0.0.1:1");
  Result<HttpResponse> response = harness.client.send(post_json(false));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::connection_failed);
  EXPECT_EQ(harness.sleeper.sleeps_ms().size(), 4u);
}

TEST(AwsClient, ReusesOneConnectionForSequentialCalls) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "{}"}; });
  ClientHarness harness(server.base_url());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(harness.client.send(post_json()).ok());
  EXPECT_EQ(server.connections_accepted(), 1);
}

TEST(AwsClient, WholeRequestTimeoutIsATimeout) {
  FakeHttpServer server([](const FakeRequest&) { return FakeResponse{200, "{}", {}, 600}; });
  CurlHttpClientOptions options;
  options.total_timeout_ms = 150;
  ClientHarness harness(server.base_url(), std::nullopt, options);
  AwsRequest request = post_json();
  Result<HttpResponse> response = harness.client.send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::timeout);
}

// AWS answers a request signed with a clock 20 minutes behind as below (JSON services; S3 says RequestTimeTooSkewed
// in XML). The client takes the service's time from Date, signs again with it, and keeps it for later calls.
TEST(AwsClient, ClockSkewIsCorrectedFromTheAnswersDateAndSentAgainOnce) {
  const std::string service_time = "20261118T112640Z";  // FakeClock's start + 20 min
  FakeHttpServer server([&service_time](const FakeRequest& request) {
    if (request.headers.at("x-amz-date") == service_time) return FakeResponse{200, "{}"};
    return FakeResponse{403,
                        R"({"__type":"InvalidSignatureException","message":"Signature expired: )" +
                            request.headers.at("x-amz-date") + " is now earlier than 20261118T111140Z (" +
                            service_time + " - 15 min.)\"}",
                        {{"Date", "Wed, 18 Nov 2026 11:26:40 GMT"}, {"Content-Type", "application/x-amz-json-1.1"}}};
  });
  ClientHarness harness(server.base_url());
  ASSERT_TRUE(harness.client.send(post_json(false)).ok());  // even a submission: a refused signature never ran
  EXPECT_EQ(server.requests().size(), 2u);
  ASSERT_TRUE(harness.client.send(post_json()).ok());  // later calls sign with the corrected clock at once
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_TRUE(harness.sleeper.sleeps_ms().empty());
}

TEST(AwsClient, ClockSkewIsRetriedOnlyOnce) {
  FakeHttpServer server([](const FakeRequest&) {
    return FakeResponse{403,
                        "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time "
                        "and the current time is too large.</Message></Error>",
                        {{"Date", "Wed, 18 Nov 2026 11:26:40 GMT"}}};
  });
  ClientHarness harness(server.base_url());
  Result<HttpResponse> response = harness.client.send(post_json());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().provider_code, "RequestTimeTooSkewed");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(AwsClient, PresignedUrlNeverOutlivesTheCredentials) {
  ClientHarness harness("http://127.0.0.1:9");
  const int64_t expires_at_ms = harness.clock.now_ms() + 900'000;
  ClientHarness temporary("http://127.0.0.1:9", expires_at_ms);
  AwsRequest request;
  request.path = "/b/k";
  EXPECT_EQ(harness.client.presign(request, 3600)->expires_in_s, 3600);
  Result<PresignedUrl> url = temporary.client.presign(request, 3600);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->expires_in_s, 900);
  EXPECT_NE(url->url.find("X-Amz-Expires=900&"), std::string::npos);
}

TEST(Endpoints, ServiceVariableThenGlobalThenAws) {
  EXPECT_EQ(resolve_endpoint("CloudWatch Logs", "logs", "eu-west-1",
                             {{"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://127.0.0.1:5/"}, {"AWS_ENDPOINT_URL", "x"}})
                .url,
            "http://127.0.0.1:5");
  const ServiceEndpoint global = resolve_endpoint("S3", "s3", "eu-west-1", {{"AWS_ENDPOINT_URL", "http://h:1"}});
  EXPECT_EQ(global.url, "http://h:1");
  EXPECT_TRUE(global.overridden);
  const ServiceEndpoint aws = resolve_endpoint("Batch", "batch", "eu-central-1", {});
  EXPECT_EQ(aws.url, "https://batch.eu-central-1.amazonaws.com");
  EXPECT_FALSE(aws.overridden);
}

TEST(RetryPolicy, FullJitterStaysUnderTheCap) {
  RetryPolicy policy{5, 100, 1'000};
  testing::FixedRandomSource all_ones(0xff);
  for (int retry = 1; retry < 40; ++retry) {
    const int64_t delay = backoff_delay_ms(policy, retry, all_ones);
    EXPECT_GE(delay, 0);
    EXPECT_LE(delay, std::min<int64_t>(1'000, int64_t{100} << std::min(retry, 30)));
  }
  testing::FixedRandomSource zeros(0);
  EXPECT_EQ(backoff_delay_ms(policy, 3, zeros), 0);
}

TEST(AwsErrors, RetryClassification) {
  EXPECT_TRUE(is_retryable(service_error("SlowDown", 503), false));
  EXPECT_TRUE(is_retryable(service_error("Whatever", 429), false));
  EXPECT_TRUE(is_retryable(service_error("InternalError", 500), true));
  EXPECT_FALSE(is_retryable(service_error("InternalError", 500), false));
  EXPECT_FALSE(is_retryable(service_error("ClientException", 400), true));
  EXPECT_TRUE(is_retryable(Error::make(ErrorCode::network_error, "reset"), true));
  EXPECT_FALSE(is_retryable(Error::make(ErrorCode::network_error, "reset"), false));
  EXPECT_TRUE(is_retryable(Error::make(ErrorCode::dns_failed, "no such host"), false));  // nothing was sent
}

}  // namespace
}  // namespace live2::aws
