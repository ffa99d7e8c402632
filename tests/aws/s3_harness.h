// What the S3 tests share: the s3rver endpoint written by the CTest fixture (s3rver_fixture.sh), an HttpClient
// wrapper that records requests and can fail chosen ones, and an S3 client wired to both.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aws/aws_client.h"
#include "aws/s3_client.h"
#include "aws_test_doubles.h"

namespace live2::aws::testing {

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// The fixture's endpoint, or the reason there is none (the test then skips).
struct S3rverEndpoint {
  std::string url;
  std::string unavailable_reason;
};

inline S3rverEndpoint s3rver_endpoint() {
  const char* state = std::getenv("LIVE2_S3RVER_STATE");
  if (state == nullptr) return {"", "LIVE2_S3RVER_STATE is not set (run through ctest, which starts s3rver)"};
  const std::filesystem::path dir(state);
  if (std::filesystem::exists(dir / "unavailable")) return {"", read_text(dir / "unavailable")};
  return {read_text(dir / "endpoint"), ""};
}

// Records every request's method and URL and fails those `fail_when` picks with a 500 (before sending them).
class RecordingHttpClient final : public HttpClient {
 public:
  std::function<bool(const HttpRequest&)> fail_when = [](const HttpRequest&) { return false; };

  Result<HttpResponse> send(const HttpRequest& request) override {
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(request.method + " " + request.url);
    }
    if (fail_when(request)) return HttpResponse{500, {}, "<Error><Code>InternalError</Code><Message>injected</Message></Error>"};
    return real_.send(request);
  }
  std::vector<std::string> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  CurlHttpClient real_;
  mutable std::mutex mutex_;
  std::vector<std::string> seen_;
};

class S3rverTest : public ::testing::Test {
 protected:
  static constexpr const char* kBucket = "live2-test";

  void SetUp() override {
    const S3rverEndpoint endpoint = s3rver_endpoint();
    if (!endpoint.unavailable_reason.empty()) GTEST_SKIP() << endpoint.unavailable_reason;
    client_.emplace(kS3Service, AwsClientOptions{"us-east-1", {}, {1000, 1, 1000, 1, 0.5, 1000}},
                    Environment{{"AWS_ENDPOINT_URL_S3", endpoint.url}},
                    AwsContext{http_, credentials_, clock_, sleeper_, random_});
    s3_.emplace(*client_);
  }

  // A key unique to this test, so tests do not see each other's objects.
  std::string test_prefix() const {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return std::string(info->name()) + "/";
  }

  RecordingHttpClient http_;
  StaticCredentialsProvider credentials_{AwsCredentials{"S3RVER", "S3RVER", "", std::nullopt, "test"}};
  SystemClock clock_;
  FakeClock sleep_clock_;
  RecordingSleeper sleeper_{sleep_clock_};
  FixedRandomSource random_;
  std::optional<AwsClient> client_;
  std::optional<S3Client> s3_;
};

}  // namespace live2::aws::testing
