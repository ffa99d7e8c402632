// Real deliveries: WebhookDispatcher + CurlWebhookTransport + SQLite outbox against a receiver on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "core/ids.h"
#include "core/status_machine.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"
#include "webhook_fakes.h"
#include "webhook_receiver.h"
#include "webhooks/webhook_dispatcher.h"
#include "webhooks/webhook_retry_schedule.h"
#include "webhooks/webhook_signature.h"

namespace live2::webhooks {
namespace {

constexpr const char* kSecret = "whsec_http_test";

class WebhookDeliveryHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStores::open(dir.path() / "live2.db", clock);
    ASSERT_TRUE(opened) << opened.error().message;
    stores = std::move(opened).value();
  }

  std::string job_that_completes(const std::string& webhook_url) {
    Job job;
    job.job_id = new_job_id(clock.now_ms(), random);
    job.user_id = "alice";
    job.job_type = "run_simulation";
    job.params_json = R"({"simulation_config":{"mode":"open_chemistry"}})";
    job.created_at_ms = job.updated_at_ms = clock.now_ms();
    job.request_fingerprint = "fp-" + job.job_id;
    job.webhook_url = webhook_url;
    EXPECT_TRUE(stores->jobs().create_job(job, JobQuota{}, clock.now_ms()));
    for (JobStatus status : {JobStatus::running, JobStatus::completed}) {
      EXPECT_TRUE(
          stores->jobs().update_job(job.job_id, [&](Job& j) { return transition(j, status, clock.now_ms()).ok(); }));
    }
    return job.job_id;
  }

  live2::testing::TempDir dir{"live2-webhook-http"};
  FakeClock clock;
  OsRandomSource random;
  std::unique_ptr<SqliteStores> stores;
  CurlWebhookTransport transport;
  WebhookReceiver receiver;
};

TEST_F(WebhookDeliveryHttpTest, ReceiverGetsSignedEventsAndARetryAfterAFailure) {
  const std::string job_id = job_that_completes(receiver.url("/hooks/live2"));
  receiver.script({500});  // the first attempt (job.running) fails
  WebhookDispatcher webhooks(stores->outbox(), transport, clock, WebhookOptions{kSecret, /*allow_insecure=*/true});

  EXPECT_EQ(webhooks.deliver_due(), 2);
  auto received = receiver.wait_for(2, 5000);
  ASSERT_EQ(received.size(), 2u);
  clock.advance_ms(60'000);  // past the first retry delay (30 s +- 20 %)
  EXPECT_EQ(webhooks.deliver_due(), 1);
  received = receiver.wait_for(3, 5000);
  ASSERT_EQ(received.size(), 3u);

  const ReceivedRequest& failed = received[0];
  const ReceivedRequest& retried = received[2];
  EXPECT_EQ(failed.headers.at("x-live2-event"), "job.running");
  EXPECT_EQ(received[1].headers.at("x-live2-event"), "job.completed");
  EXPECT_EQ(retried.headers.at("x-live2-event"), "job.running");
  EXPECT_EQ(failed.headers.at("x-live2-delivery"), retried.headers.at("x-live2-delivery"));
  EXPECT_NE(failed.headers.at("x-live2-delivery"), received[1].headers.at("x-live2-delivery"));
  for (const ReceivedRequest& request : received) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/hooks/live2");
    EXPECT_EQ(request.headers.at("content-type"), "application/json");
    EXPECT_TRUE(verify_webhook_signature(kSecret, request.headers.at("x-live2-signature"), request.body,
                                         clock.now_ms() / 1000, 120));
    const auto body = boost::json::parse(request.body).as_object();
    EXPECT_EQ(body.at("event").as_string(), request.headers.at("x-live2-event"));
    EXPECT_EQ(body.at("job").at("job_id").as_string(), job_id);
  }
  EXPECT_EQ(boost::json::parse(received[1].body).at("job").at("status").as_string(), "completed");
  const WebhookDeliveryCounts counts = webhooks.counts();
  EXPECT_EQ(counts.delivered, 2);
  EXPECT_EQ(counts.failed, 1);
}

TEST_F(WebhookDeliveryHttpTest, ConnectsToThePinnedAddressNotWhatTheNameMeans) {
  // "hooks.invalid" does not resolve anywhere; only the pin makes the request reach 127.0.0.1.
  FixedResolver dns;
  dns.records["hooks.invalid"] = {"127.0.0.1"};
  ZeroRandomSource jitter;
  job_that_completes("http://hooks.invalid:" + std::to_string(receiver.port()) + "/pinned");
  WebhookDispatcher webhooks(stores->outbox(), transport, clock, WebhookOptions{kSecret, true}, dns, jitter);
  EXPECT_EQ(webhooks.deliver_due(), 2);
  const auto received = receiver.wait_for(2, 5000);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].headers.at("host"), "hooks.invalid:" + std::to_string(receiver.port()));
  EXPECT_EQ(webhooks.counts().delivered, 2);
}

TEST_F(WebhookDeliveryHttpTest, DeliversToAnIpv6LiteralUrl) {
  if (auto missing = WebhookReceiver::ipv6_loopback_missing()) GTEST_SKIP() << *missing;
  WebhookReceiver v6_receiver(Loopback::v6);
  job_that_completes(v6_receiver.url("/v6"));  // http://[::1]:<port>/v6, delivered only with allow_insecure
  WebhookDispatcher webhooks(stores->outbox(), transport, clock, WebhookOptions{kSecret, /*allow_insecure=*/true});
  EXPECT_EQ(webhooks.deliver_due(), 2);
  const auto received = v6_receiver.wait_for(2, 5000);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].target, "/v6");
  EXPECT_EQ(received[0].headers.at("host"), "[::1]:" + std::to_string(v6_receiver.port()));
  EXPECT_EQ(webhooks.counts().delivered, 2);
  EXPECT_EQ(webhooks.counts().failed, 0);
}

TEST_F(WebhookDeliveryHttpTest, LoopbackIsRefusedWithoutAllowInsecure) {
  job_that_completes("https://127.0.0.1:" + std::to_string(receiver.port()) + "/hook");
  WebhookDispatcher webhooks(stores->outbox(), transport, clock, WebhookOptions{kSecret, false});
  EXPECT_EQ(webhooks.deliver_due(), 2);
  EXPECT_TRUE(receiver.wait_for(1, 200).empty());
  EXPECT_EQ(webhooks.counts().refused, 2);
}

TEST_F(WebhookDeliveryHttpTest, StopAbandonsAnAttemptToAHangingReceiver) {
  SystemClock real_clock;
  clock.set_ms(real_clock.now_ms());  // the deliveries are created now, so the 24-hour window is still open
  receiver.hold_answers(true);
  job_that_completes(receiver.url("/slow"));
  WebhookDispatcher webhooks(stores->outbox(), transport, real_clock,
                             WebhookOptions{kSecret, true, /*request_timeout_ms=*/60'000});
  webhooks.start();
  ASSERT_EQ(receiver.wait_for(1, 5000).size(), 1u);
  const auto before_stop = std::chrono::steady_clock::now();
  webhooks.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before_stop, std::chrono::milliseconds(2500));
  EXPECT_EQ(webhooks.counts().failed, 1);
  EXPECT_EQ(webhooks.counts().delivered, 0);
  auto pending = stores->outbox().due_webhook_deliveries(real_clock.now_ms() + kWebhookMaxRetryDelayMs, 10);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->size(), 2u) << "both deliveries are still owed after the shutdown";
  receiver.hold_answers(false);
}

TEST_F(WebhookDeliveryHttpTest, AHangingReceiverDoesNotHoldUpOtherJobs) {
  WebhookReceiver hanging;
  hanging.hold_answers(true);
  job_that_completes(hanging.url("/hangs"));
  job_that_completes(receiver.url("/answers"));
  WebhookDispatcher webhooks(stores->outbox(), transport, clock,
                             WebhookOptions{kSecret, true, /*request_timeout_ms=*/1500});
  std::thread pass([&] { webhooks.deliver_due(); });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(receiver.wait_for(2, 1200).size(), 2u) << "the other job's deliveries wait for the hanging receiver";
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1200));
  pass.join();
  hanging.hold_answers(false);
  EXPECT_EQ(webhooks.counts().delivered, 2);
  EXPECT_EQ(webhooks.counts().failed, 2) << "both events of the hanging receiver's job time out, one after the other";
}

TEST(CurlWebhookTransport, ReportsAConnectFailureAsAnError) {
  WebhookRequest request;
  request.target = PinnedWebhookTarget{"http://127.0.0.1:1/hook", "127.0.0.1", 1, *IpAddress::parse("127.0.0.1")};
  request.body = "{}";
  request.timeout_ms = 2000;
  CurlWebhookTransport transport;
  Result<int> status = transport.post(request);
  ASSERT_FALSE(status) << "nothing listens on port 1, yet got HTTP " << *status;
  EXPECT_EQ(status.error().code, ErrorCode::connection_failed);
}

}  // namespace
}  // namespace live2::webhooks
