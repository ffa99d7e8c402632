// The AWS clients a BatchExecutor test uses against the fake Batch server (fake_batch_process.h): real SigV4 over real
// HTTP with test credentials, Batch, CloudWatch Logs and S3 all at one endpoint (AWS_ENDPOINT_URL), or S3 at an S3
// server of its own (s3rver, with the credentials it accepts) for tests whose real workers publish there. Tests also
// send raw requests with `http` (the fake's test controls) and make job ids with `random`. The clients hold references
// to the members before them, so the struct is neither copied nor moved. Not thread-safe beyond the clients themselves.
#pragma once

#include <optional>
#include <string>

#include "aws/aws_client.h"
#include "aws/batch_client.h"
#include "aws/logs_client.h"
#include "aws/s3_client.h"
#include "aws_test_doubles.h"

namespace live2::testing {

// S3 elsewhere than at the fake Batch server: its endpoint and the credentials it accepts.
struct S3Server {
  std::string endpoint;
  aws::AwsCredentials credentials;
};

struct FakeBatchClients {
  FakeBatchClients(const std::string& endpoint, const Clock& clock, const std::optional<S3Server>& s3_server = {})
      : environment(endpoints(endpoint, s3_server)),
        s3_credentials(s3_server ? s3_server->credentials : test_credentials()),
        batch_aws(aws::ServiceDescription{"Batch", "batch", "batch", false}, {}, environment,
                  {http, credentials, clock, sleeper, random}),
        logs_aws(aws::ServiceDescription{"CloudWatch Logs", "logs", "logs", false}, {}, environment,
                 {http, credentials, clock, sleeper, random}),
        s3_aws(aws::testing::kS3Service, {}, environment, {http, s3_credentials, clock, sleeper, random}),
        batch(batch_aws),
        logs(logs_aws),
        s3(s3_aws) {}
  FakeBatchClients(const FakeBatchClients&) = delete;
  FakeBatchClients& operator=(const FakeBatchClients&) = delete;

  static aws::AwsCredentials test_credentials() { return {"AKIDTEST", "secret", "", std::nullopt, "test"}; }
  static Environment endpoints(const std::string& endpoint, const std::optional<S3Server>& s3_server) {
    Environment environment{{"AWS_ENDPOINT_URL", endpoint}};
    if (s3_server) environment["AWS_ENDPOINT_URL_S3"] = s3_server->endpoint;
    return environment;
  }

  Environment environment;  // the clients' endpoints
  aws::CurlHttpClient http;
  aws::StaticCredentialsProvider credentials{test_credentials()};  // the fake Batch server's
  aws::StaticCredentialsProvider s3_credentials;
  aws::ThreadSleeper sleeper;
  OsRandomSource random;
  aws::AwsClient batch_aws;
  aws::AwsClient logs_aws;
  aws::AwsClient s3_aws;
  aws::BatchClient batch;
  aws::LogsClient logs;
  aws::S3Client s3;
};

}  // namespace live2::testing
