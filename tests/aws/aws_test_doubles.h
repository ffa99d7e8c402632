// Test doubles for the AWS layer's injected effects, and the S3 service description the tests use: a sleeper that only
// advances a FakeClock (and records what it was asked), a deterministic RandomSource, and ServiceClientHarness, one
// service's AwsClient wired to them with static test credentials and the real libcurl client.
#pragma once

#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include "aws/aws_client.h"
#include "aws/sleeper.h"
#include "base/clock.h"
#include "base/random_source.h"

namespace live2::aws::testing {

inline const ServiceDescription kS3Service{"S3", "s3", "s3", true};

class RecordingSleeper final : public Sleeper {
 public:
  explicit RecordingSleeper(FakeClock& clock) : clock_(clock) {}
  void sleep_ms(int64_t duration_ms) override {
    std::lock_guard lock(mutex_);
    sleeps_ms_.push_back(duration_ms);
    clock_.advance_ms(duration_ms);
  }
  std::vector<int64_t> sleeps_ms() const {
    std::lock_guard lock(mutex_);
    return sleeps_ms_;
  }

 private:
  FakeClock& clock_;
  mutable std::mutex mutex_;
  std::vector<int64_t> sleeps_ms_;
};

// Fills with a repeating byte, so jittered delays are predictable.
class FixedRandomSource final : public RandomSource {
 public:
  explicit FixedRandomSource(uint8_t byte = 0xff) : byte_(byte) {}
  void fill(uint8_t* out, size_t size) override { std::memset(out, byte_, size); }

 private:
  uint8_t byte_;
};

// An error as an AWS service answers it: its own code and the HTTP status.
inline Error service_error(std::string provider_code, std::string message, int http_status) {
  Error error = Error::from_service(std::move(provider_code), std::move(message));
  error.http_status = http_status;
  return error;
}
inline Error service_error(std::string provider_code, int http_status) {
  return service_error(std::move(provider_code), "", http_status);
}

// One service's AwsClient on the real HTTP client, fake time and fixed randomness, signing as AKIDTEST (temporary
// credentials with a session token when `expires_at_ms` is set). `environment` points the service at its endpoint.
struct ServiceClientHarness {
  ServiceClientHarness(const ServiceDescription& service, Environment environment,
                       std::optional<int64_t> expires_at_ms = std::nullopt, CurlHttpClientOptions http_options = {})
      : http(http_options),
        credentials(AwsCredentials{"AKIDTEST", "secret", expires_at_ms ? "token" : "", expires_at_ms, "test"}),
        sleeper(clock),
        client(service, {"eu-central-1", {}, {}}, std::move(environment), {http, credentials, clock, sleeper, random}) {}

  CurlHttpClient http;
  StaticCredentialsProvider credentials;
  FakeClock clock;
  RecordingSleeper sleeper;
  FixedRandomSource random;
  AwsClient client;
};

}  // namespace live2::aws::testing
