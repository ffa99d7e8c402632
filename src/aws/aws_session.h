// AwsSession: what every AWS-using command shares, built once from the environment: the HTTP client (connection
// reuse), the credential chain, the clock, the sleeper and the random source; it hands out one AwsClient per
// service, so each service has its own rate limiter. Owns everything it hands out; outlives its clients.
// client() is thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "aws/aws_client.h"
#include "aws/s3_client.h"

namespace live2::aws {

// The services live2 calls, with their endpoint names and signing names.
ServiceDescription sts_service();
ServiceDescription iam_service();
ServiceDescription s3_service();
ServiceDescription ecr_service();
ServiceDescription ec2_service();
ServiceDescription batch_service();
ServiceDescription logs_service();

// The rate limiter a service starts with. Batch, Logs and the control-plane services allow tens of calls per second
// per account (the defaults); S3 allows 3,500 writes and 5,500 reads per second per prefix, so its limiter starts
// there and only slows down when S3 answers SlowDown. With the defaults, the worker's small uploads (progress.json,
// simulation.log at every 1 %) queued behind a 20-per-second budget and slowed short simulations several-fold.
RateLimiterOptions rate_limit_for(const ServiceDescription& service);

class AwsSession {
 public:
  AwsSession(Environment environment, std::string region);

  AwsClient& client(const ServiceDescription& service);
  S3Client& s3();
  // Where the credentials come from ("environment", "profile default", ...) or the reason none were found.
  Result<AwsCredentials> credentials() { return credentials_.get(); }
  const std::string& region() const { return region_; }
  Sleeper& sleeper() { return sleeper_; }
  const Clock& clock() const { return clock_; }
  RandomSource& random() { return random_; }

 private:
  Environment environment_;
  std::string region_;
  SystemClock clock_;
  ThreadSleeper sleeper_;
  OsRandomSource random_;
  CurlHttpClient http_;
  DefaultCredentialsChain credentials_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<AwsClient>> clients_;
  std::unique_ptr<S3Client> s3_;
};

}  // namespace live2::aws
