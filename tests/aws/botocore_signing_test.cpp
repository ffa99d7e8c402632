// Debian's python3-botocore as an independent signer: the same requests (time, credentials with a session token,
// body) signed by botocore and by live2 must give the same signature. Skips when botocore is not installed.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "aws/aws_client.h"
#include "aws/s3_client.h"
#include "aws_test_doubles.h"
#include "base/hashing.h"
#include "base/time_format.h"

namespace live2::aws {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Prints botocore's Authorization header for a Batch DescribeJobs call, then two presigned S3 GET URLs: a plain one
// and one with the response overrides an artifact link carries.
constexpr const char* kBotocoreScript = R"(
import datetime
from unittest import mock
from botocore.awsrequest import AWSRequest
from botocore.auth import SigV4Auth, S3SigV4QueryAuth
from botocore.credentials import Credentials
credentials = Credentials("AKIDTEST", "secret/key+x", "token/abc=")
with mock.patch("botocore.auth.datetime") as clock:
    clock.datetime.utcnow.return_value = datetime.datetime(2026, 11, 25, 12, 0, 0)
    call = AWSRequest("POST", "https://batch.eu-central-1.amazonaws.com/v1/describejobs",
                      data=b'{"jobs":["a"]}', headers={"Content-Type": "application/json"})
    SigV4Auth(credentials, "batch", "eu-central-1").add_auth(call)
    print(call.headers["Authorization"])
    url = AWSRequest("GET", "https://live2-artifacts.s3.eu-central-1.amazonaws.com/prod/u/j/final%20image.png")
    S3SigV4QueryAuth(credentials, "s3", "eu-central-1", expires=3600).add_auth(url)
    print(url.url)
    url = AWSRequest("GET", "https://live2-artifacts.s3.eu-central-1.amazonaws.com/prod/u/j/report.html",
                     params={"response-cache-control": "private, no-cache",
                             "response-content-disposition": "attachment"})
    S3SigV4QueryAuth(credentials, "s3", "eu-central-1", expires=3600).add_auth(url)
    print(url.url)
)";

std::vector<std::string> run_botocore() {
  const std::filesystem::path script =
      std::filesystem::temp_directory_path() / ("live2-botocore-" + std::to_string(::getpid()) + ".py");
  std::ofstream(script) << kBotocoreScript;
  std::vector<std::string> lines;
  FILE* pipe = ::popen((std::string(kPython) + " " + script.string() + " 2>/dev/null").c_str(), "r");
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line(buffer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    lines.push_back(line);
  }
  ::pclose(pipe);
  std::filesystem::remove(script);
  return lines;
}

std::string query_value(const std::string& url, const std::string& name) {
  const size_t start = url.find(name + "=");
  if (start == std::string::npos) return {};
  const size_t end = url.find('&', start);
  return url.substr(start + name.size() + 1, end == std::string::npos ? std::string::npos : end - start - name.size() - 1);
}

TEST(BotocoreSigning, SameSignaturesAsBotocore) {
  const std::vector<std::string> botocore = run_botocore();
  if (botocore.size() != 3) GTEST_SKIP() << "python3-botocore is not installed (scripts/install-deps.sh --test)";
  const AwsCredentials credentials{"AKIDTEST", "secret/key+x", "token/abc=", std::nullopt, "test"};
  const int64_t time_ms = parse_iso8601_ms("2026-11-25T12:00:00Z").value();

  const std::string body = R"({"jobs":["a"]})";
  SignableRequest call{"POST", "/v1/describejobs", {},
                       {{"Content-Type", "application/json"}, {"Host", "batch.eu-central-1.amazonaws.com"}},
                       sha256_hex(body)};
  sign_request_headers(call, credentials, {"eu-central-1", "batch", time_ms, true, false, false});
  EXPECT_EQ(call.headers.back().value, botocore[0]);

  FakeClock clock(time_ms);
  CurlHttpClient http;
  StaticCredentialsProvider provider(credentials);
  testing::RecordingSleeper sleeper(clock);
  testing::FixedRandomSource random;
  AwsClient aws(testing::kS3Service, {"eu-central-1", {}, {}}, {}, {http, provider, clock, sleeper, random});
  S3Client s3(aws);
  const std::pair<std::string, std::string> presigned[] = {
      {s3.presign_get("live2-artifacts", "prod/u/j/final image.png", 3600)->url, botocore[1]},
      {s3.presign_get("live2-artifacts", "prod/u/j/report.html", 3600,
                      {.content_disposition = "attachment", .cache_control = "private, no-cache"})
           ->url,
       botocore[2]},
  };
  for (const auto& [url, expected] : presigned) {
    EXPECT_EQ(url.substr(0, url.find('?')), expected.substr(0, expected.find('?')));
    for (const char* name : {"X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
                             "X-Amz-Security-Token", "X-Amz-Signature"}) {
      EXPECT_EQ(query_value(url, name), query_value(expected, name)) << name << " in " << url;
    }
  }
}

}  // namespace
}  // namespace live2::aws
