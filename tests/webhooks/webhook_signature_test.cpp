#include "webhooks/webhook_signature.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace live2::webhooks {
namespace {

constexpr const char* kBody = R"({"event":"job.completed"})";

TEST(WebhookSignature, MatchesIndependentlyComputedVector) {
  // python3: hmac.new(b"whsec_test", b'1795000000.{"event":"job.completed"}', hashlib.sha256).hexdigest()
  EXPECT_EQ(webhook_signature_header("whsec_test", 1'795'000'000, kBody),
            "t=1795000000,v1=9964c0527e2e9e40f58189284f2ad1dae5fadf86c407a66b2f5890a6256ec2a8");
}

TEST(WebhookSignature, VerifiesOnlyTheSignedBodySecretAndFreshTimestamp) {
  const std::string header = webhook_signature_header("whsec_test", 1'795'000'000, kBody);
  EXPECT_TRUE(verify_webhook_signature("whsec_test", header, kBody, 1'795'000'100, 300));
  EXPECT_FALSE(verify_webhook_signature("whsec_other", header, kBody, 1'795'000'100, 300));
  EXPECT_FALSE(verify_webhook_signature("whsec_test", header, R"({"event":"job.failed"})", 1'795'000'100, 300));
  EXPECT_FALSE(verify_webhook_signature("whsec_test", header, kBody, 1'795'000'301, 300));
  EXPECT_FALSE(verify_webhook_signature("whsec_test", "t=1795000000", kBody, 1'795'000'000, 300));
  EXPECT_FALSE(verify_webhook_signature("whsec_test", "garbage", kBody, 1'795'000'000, 300));
}

TEST(WebhookBody, WrapsTheStoredJobObject) {
  WebhookDelivery delivery;
  delivery.event = "job.running";
  delivery.payload_json = R"({"job_id":"job_x","status":"running"})";
  Result<std::string> body = webhook_body(delivery, 1'795'000'000'123);
  ASSERT_TRUE(body) << body.error().message;
  const auto parsed = boost::json::parse(*body).as_object();
  EXPECT_EQ(parsed.at("event").as_string(), "job.running");
  EXPECT_EQ(parsed.at("job").at("job_id").as_string(), "job_x");
  EXPECT_EQ(parsed.at("delivered_at").as_string(), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(parsed.size(), 3u);
}

TEST(WebhookBody, RefusesACorruptPayload) {
  WebhookDelivery delivery;
  delivery.payload_json = "{not json";
  Result<std::string> body = webhook_body(delivery, 0);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, ErrorCode::corrupt_payload);
}

}  // namespace
}  // namespace live2::webhooks
