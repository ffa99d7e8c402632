// S3 addressing and presigned URL lifetimes without a server: virtual-hosted on AWS, path-style for dotted buckets
// and under an endpoint override; URLs never outlive temporary credentials.
#include <gtest/gtest.h>

#include "artifacts/s3_artifact_store.h"
#include "aws/aws_client.h"
#include "aws/s3_client.h"
#include "aws_test_doubles.h"

namespace live2::aws {
namespace {

struct Presigner : testing::ServiceClientHarness {
  explicit Presigner(Environment environment, std::optional<int64_t> expires_at_ms = std::nullopt)
      : ServiceClientHarness(testing::kS3Service, std::move(environment), expires_at_ms), s3(client) {}
  S3Client s3;
};

TEST(S3Addressing, VirtualHostedOnAwsPathStyleOtherwise) {
  Presigner aws({});
  EXPECT_TRUE(aws.s3.presign_get("live2-artifacts", "prod/u/j/results.h5", 3600)
                  ->url.starts_with("https://live2-artifacts.s3.eu-central-1.amazonaws.com/prod/u/j/results.h5?"));
  EXPECT_TRUE(aws.s3.presign_get("my.bucket", "k", 3600)->url.starts_with("https://s3.eu-central-1.amazonaws.com/my.bucket/k?"));
  Presigner local(Environment{{"AWS_ENDPOINT_URL", "http://127.0.0.1:4568"}});
  EXPECT_TRUE(local.s3.presign_get("live2-artifacts", "a b", 60)->url.starts_with("http://127.0.0.1:4568/live2-artifacts/a%20b?"));
}

TEST(S3Addressing, PresignedUrlsAreUnsignedPayloadAndCarryTheSessionToken) {
  Presigner temporary({}, FakeClock().now_ms() + 3'600'000);
  const std::string url = temporary.s3.presign_get("b", "k", 600)->url;
  EXPECT_NE(url.find("X-Amz-Security-Token=token"), std::string::npos);
  EXPECT_NE(url.find("X-Amz-SignedHeaders=host&X-Amz-Signature="), std::string::npos);
}

TEST(S3Addressing, PresignedGetCanSetTheDownloadsContentDispositionAndCacheControl) {
  Presigner aws({});
  const ResponseOverrides overrides{.content_disposition = "attachment", .cache_control = "private, no-cache"};
  const std::string url = aws.s3.presign_get("b", "k/report.html", 600, overrides)->url;
  // Both before the signature (so it covers them), in canonical order, the value encoded.
  EXPECT_NE(url.find("&response-cache-control=private%2C%20no-cache&response-content-disposition=attachment"
                     "&X-Amz-Signature="),
            std::string::npos)
      << url;
  const std::string plain = aws.s3.presign_get("b", "k", 600)->url;
  EXPECT_EQ(plain.find("response-"), std::string::npos) << plain;
}

TEST(S3ArtifactStoreOrigin, IsWherePresignedUrlsPoint) {
  Presigner aws({});
  EXPECT_EQ(S3ArtifactStore(aws.s3, "live2-artifacts", "prod").download_origin(),
            "https://live2-artifacts.s3.eu-central-1.amazonaws.com");
  EXPECT_EQ(S3ArtifactStore(aws.s3, "my.bucket", "prod").download_origin(), "https://s3.eu-central-1.amazonaws.com");
  Presigner local(Environment{{"AWS_ENDPOINT_URL", "http://127.0.0.1:4568"}});
  EXPECT_EQ(S3ArtifactStore(local.s3, "live2-artifacts", "prod").download_origin(), "http://127.0.0.1:4568");
}

TEST(S3ArtifactStoreExpiry, ClampedToSevenDaysAndToTheCredentials) {
  Presigner long_term({});
  EXPECT_EQ(long_term.s3.presign_get("b", "k", kMaxUrlExpirySeconds)->expires_in_s, kMaxUrlExpirySeconds);
  Presigner role({}, FakeClock().now_ms() + 1'800'000);
  EXPECT_EQ(role.s3.presign_get("b", "k", kMaxUrlExpirySeconds)->expires_in_s, 1'800);
}

}  // namespace
}  // namespace live2::aws
