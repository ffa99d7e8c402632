// The AWS clients a BatchExecutor test uses against the fake Batch server (fake_batch_process.h): real SigV4 over real
// HTTP with test credentials, Batch, CloudWatch Logs and S3 all at one endpoint (AWS_ENDPOINT_URL). Tests also send
// raw requests with `http` (the fake's test controls) and make job ids with `random`. The clients hold references to
// the members before them, so the struct is neither copied nor moved. Not thread-safe beyond the clients themselves.
#pragma once

#include <string>

#include "aws/aws_client.h"
#include "aws/batch_client.h"
#include "aws/logs_client.h"
#include "aws/s3_client.h"
#include "aws_test_doubles.h"

namespace live2::testing {

struct FakeBatchClients {
  FakeBatchClients(const std::string& endpoint, const Clock& clock)
      : environment{{"AWS_ENDPOINT_URL", endpoint}},
        batch_aws(aws::ServiceDescription{"Batch", "batch", "batch", false}, {}, environment,
                  {http, credentials, clock, sleeper, random}),
        logs_aws(aws::ServiceDescription{"CloudWatch Logs", "logs", "logs", false}, {}, environment,
                 {http, credentials, clock, sleeper, random}),
        s3_aws(aws::testing::kS3Service, {}, environment, {http, credentials, clock, sleeper, random}),
        batch(batch_aws),
        logs(logs_aws),
        s3(s3_aws) {}
  FakeBatchClients(const FakeBatchClients&) = delete;
  FakeBatchClients& operator=(const FakeBatchClients&) = delete;

  Environment environment;
  aws::CurlHttpClient http;
  aws::StaticCredentialsProvider credentials{aws::AwsCredentials{"AKIDTEST", "secret", "", std::nullopt, "test"}};
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
