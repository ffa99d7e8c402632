// End to end: a job submitted to the real `live2 serve` with a webhook_url reaches a receiver on 127.0.0.1 as signed
// job.running and job.completed deliveries (LIVE2_WEBHOOK_ALLOW_INSECURE=1 permits http and loopback).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "support/http_client.h"
#include "support/server_process.h"
#include "webhook_receiver.h"
#include "webhooks/webhook_signature.h"

namespace live2::webhooks {
namespace {

namespace json = boost::json;

std::string webhook_secret_of(const std::filesystem::path& data_dir) {
  std::ifstream file(data_dir / "secrets.json");
  std::stringstream text;
  text << file.rdbuf();
  return std::string(json::parse(text.str()).at("webhook_secret").as_string());
}

live2::testing::ServerOptions insecure_webhooks() {
  live2::testing::ServerOptions options;
  options.env.emplace("LIVE2_WEBHOOK_ALLOW_INSECURE", "1");
  return options;
}

// A running `live2 serve` that may deliver to http on loopback, a receiver for it, and a key.
class WebhookServe : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    key_ = server_.create_key("dora");
  }

  // Submits the job with the receiver's /hook as its webhook_url; its id, or "" with a failure if it was refused.
  std::string submit(json::object request) {
    request["webhook_url"] = receiver_.url("/hook");
    const auto created = live2::testing::http_post_json(server_.url("/api/v1/jobs"), json::serialize(request),
                                                        live2::testing::bearer(key_));
    if (created.status != 202) {
      ADD_FAILURE() << created.status << " " << created.body;
      return "";
    }
    return std::string(json::parse(created.body).at("job_id").as_string());
  }

  WebhookReceiver receiver_;
  live2::testing::ServerProcess server_{insecure_webhooks()};
  std::string key_;
};

TEST_F(WebhookServe, CompletedJobIsAnnouncedSignedToTheReceiver) {
  receiver_.script({503});  // the first delivery fails once; the retry comes 30 s later, so job.completed comes first
  const std::string job_id = submit(
      {{"job_type", "run_simulation"},
       {"params",
        {{"simulation_config", {{"mode", "open_chemistry"}, {"config", {{"num_particles", 40}, {"steps", 200}}}}}}}});
  ASSERT_FALSE(job_id.empty());

  const auto received = receiver_.wait_for(2, 20'000);
  ASSERT_GE(received.size(), 2u) << server_.log_text();
  const std::string secret = webhook_secret_of(server_.data_dir());
  const int64_t now_s = std::time(nullptr);
  std::vector<std::string> events;
  for (const ReceivedRequest& delivery : received) {
    events.push_back(delivery.headers.at("x-live2-event"));
    EXPECT_TRUE(verify_webhook_signature(secret, delivery.headers.at("x-live2-signature"), delivery.body, now_s, 60));
    const json::object body = json::parse(delivery.body).as_object();
    EXPECT_EQ(body.at("job").at("job_id").as_string(), job_id);
    EXPECT_EQ(body.at("event").as_string(), delivery.headers.at("x-live2-event"));
  }
  EXPECT_EQ(events[0], "job.running");
  EXPECT_EQ(events[1], "job.completed");
  EXPECT_EQ(json::parse(received[1].body).at("job").at("status").as_string(), "completed");
}

TEST_F(WebhookServe, ADatasetIsAnnouncedOnceForItselfNeverPerRun) {
  const std::string job_id = submit(
      {{"job_type", "generate_dataset"},
       {"params",
        {{"simulation_config", {{"mode", "open_chemistry"}, {"config", {{"num_particles", 40}, {"steps", 200}}}}},
         {"sweep", {{"temperature", json::array{300, 450}}}},
         {"replicas", 2}}}});
  ASSERT_FALSE(job_id.empty());

  ASSERT_GE(receiver_.wait_for(2, 60'000).size(), 2u) << server_.log_text();
  // Four runs and the combine step have ended by now; anything announced per run would have come with them.
  const auto received = receiver_.wait_for(3, 2'000);
  std::vector<std::string> events;
  for (const ReceivedRequest& delivery : received) {
    events.push_back(delivery.headers.at("x-live2-event"));
    EXPECT_EQ(json::parse(delivery.body).at("job").at("job_id").as_string(), job_id);
  }
  EXPECT_EQ(events, (std::vector<std::string>{"job.running", "job.completed"}));
  const json::object job = json::parse(received.back().body).at("job").as_object();
  EXPECT_EQ(job.at("runs").at("completed").as_int64(), 4);
}

}  // namespace
}  // namespace live2::webhooks
