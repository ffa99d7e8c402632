#include "aws/aws_session.h"

namespace live2::aws {

ServiceDescription sts_service() { return {"STS", "sts", "sts", false}; }
// IAM is global: one endpoint, signed for us-east-1 (see AwsSession::client).
ServiceDescription iam_service() { return {"IAM", "iam", "iam", false}; }
ServiceDescription s3_service() { return {"S3", "s3", "s3", true}; }
ServiceDescription ecr_service() { return {"ECR", "api.ecr", "ecr", false}; }
ServiceDescription ec2_service() { return {"EC2", "ec2", "ec2", false}; }
ServiceDescription batch_service() { return {"Batch", "batch", "batch", false}; }
ServiceDescription logs_service() { return {"CloudWatch Logs", "logs", "logs", false}; }

RateLimiterOptions rate_limit_for(const ServiceDescription& service) {
  RateLimiterOptions limit;
  if (service.is_s3) {
    constexpr double kS3WritesPerSecondPerPrefix = 3'500;
    limit.initial_rate_per_s = kS3WritesPerSecondPerPrefix;
    limit.max_rate_per_s = kS3WritesPerSecondPerPrefix;
    limit.min_rate_per_s = 5;
  }
  return limit;
}

AwsSession::AwsSession(Environment environment, std::string region)
    : environment_(std::move(environment)),
      region_(std::move(region)),
      credentials_(environment_, http_, clock_) {}

AwsClient& AwsSession::client(const ServiceDescription& service) {
  std::lock_guard lock(mutex_);
  auto& slot = clients_[service.service_id];
  if (!slot) {
    AwsClientOptions options;
    options.region = region_;
    options.rate_limit = rate_limit_for(service);
    Environment environment = environment_;
    if (service.service_id == "IAM") {
      options.region = "us-east-1";
      const std::string override_variable = "AWS_ENDPOINT_URL_IAM";
      if (!environment.count(override_variable) && !environment.count("AWS_ENDPOINT_URL")) {
        environment[override_variable] = "https://iam.amazonaws.com";
      }
    }
    slot = std::make_unique<AwsClient>(service, options, environment,
                                       AwsContext{http_, credentials_, clock_, sleeper_, random_});
  }
  return *slot;
}

S3Client& AwsSession::s3() {
  AwsClient& client_for_s3 = client(s3_service());
  std::lock_guard lock(mutex_);
  if (!s3_) s3_ = std::make_unique<S3Client>(client_for_s3);
  return *s3_;
}

}  // namespace live2::aws
