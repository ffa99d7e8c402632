// AwsClient: one AWS service as seen by live2. Resolves the endpoint, signs every request (SigV4) with fresh
// credentials, sends it through the shared HttpClient, turns error answers into Errors that keep the service's code,
// message and request id, and retries what is retryable (RetryPolicy, full jitter) while the service's
// AimdRateLimiter paces the calls. When the service refuses the signature's time (clock skew), the offset to the
// answer's Date is kept and applied to every later signature of this client, and the call is sent again once.
// One instance per service and process; thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/http_client.h"
#include "aws/rate_limiter.h"
#include "aws/retry_policy.h"
#include "aws/sigv4.h"
#include "aws/sleeper.h"
#include "base/clock.h"
#include "base/random_source.h"
#include "base/result.h"

namespace live2::aws {

// The outside world an AwsClient talks through; every member outlives the client.
struct AwsContext {
  HttpClient& http;
  CredentialsProvider& credentials;
  const Clock& clock;
  Sleeper& sleeper;
  RandomSource& random;
};

struct ServiceDescription {
  std::string service_id;       // endpoint variable name part: "S3", "Batch", "CloudWatch Logs"
  std::string endpoint_prefix;  // "s3", "batch", "logs"
  std::string signing_name;     // credential scope service: "s3", "batch", "logs"
  bool is_s3 = false;           // S3 signing rules: no path normalisation, x-amz-content-sha256 header
};

struct AwsClientOptions {
  std::string region = "eu-central-1";
  RetryPolicy retry;
  RateLimiterOptions rate_limit;
};

struct AwsRequest {
  std::string method = "GET";
  std::string path = "/";  // not encoded
  QueryParameters query;
  std::vector<HttpHeader> headers;
  Payload body;
  std::string endpoint;    // empty: the service endpoint (S3 passes a bucket's virtual host)
  bool idempotent = true;
  CallPriority priority = CallPriority::status_read;
  std::optional<std::filesystem::path> response_file;
  int64_t timeout_ms = 0;
};

struct PresignedUrl {
  std::string url;
  int64_t expires_in_s = 0;  // the URL's real lifetime
};

class AwsClient {
 public:
  AwsClient(ServiceDescription service, AwsClientOptions options, const Environment& environment, AwsContext context);

  // 2xx answers are returned; anything else is an Error (see aws_error.h) after the retries the policy allows.
  Result<HttpResponse> send(const AwsRequest& request);

  // A presigned URL (UNSIGNED-PAYLOAD for S3) valid for `expires_s`, shortened to the signing credentials' life.
  Result<PresignedUrl> presign(const AwsRequest& request, int64_t expires_s);

  const ServiceEndpoint& endpoint() const { return endpoint_; }
  const std::string& region() const { return options_.region; }
  AimdRateLimiter& rate_limiter() { return rate_limiter_; }

 private:
  Result<HttpResponse> send_once(const AwsRequest& request);
  SignableRequest signable(const AwsRequest& request, const std::string& base_url) const;
  SigningOptions signing_options() const;

  ServiceDescription service_;
  AwsClientOptions options_;
  ServiceEndpoint endpoint_;
  AwsContext context_;
  AimdRateLimiter rate_limiter_;
  // The service's clock minus ours, learned from the Date of an answer that refused our time (clock skew).
  std::atomic<int64_t> clock_offset_ms_{0};
};

}  // namespace live2::aws
