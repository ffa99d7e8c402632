// WebhookDispatcher against a real SQLite outbox, with scripted DNS and transport and a FakeClock.
#include "webhooks/webhook_dispatcher.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "core/ids.h"
#include "core/status_machine.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"
#include "webhook_fakes.h"
#include "webhooks/webhook_retry_schedule.h"
#include "webhooks/webhook_signature.h"

namespace live2::webhooks {
namespace {

constexpr const char* kSecret = "whsec_dispatcher_test";
constexpr const char* kHookUrl = "https://hooks.example.com/live2";

class WebhookDispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dns.records["hooks.example.com"] = {"93.184.216.34"};
    stores = open_stores();
  }

  std::unique_ptr<SqliteStores> open_stores() {
    auto opened = SqliteStores::open(dir.path() / "live2.db", clock);
    EXPECT_TRUE(opened) << opened.error().message;
    return std::move(opened).value();
  }

  std::unique_ptr<WebhookDispatcher> dispatcher(WebhookOutbox& outbox, WebhookOptions options = {}) {
    if (options.secret.empty()) options.secret = kSecret;
    return std::make_unique<WebhookDispatcher>(outbox, transport, clock, options, dns, zero_random);
  }

  // A job with a webhook that has just started running (one delivery due: job.running).
  std::string running_job(const std::string& url = kHookUrl) {
    Job job;
    job.job_id = new_job_id(clock.now_ms(), os_random);
    job.user_id = "alice";
    job.job_type = "run_simulation";
    job.params_json = R"({"simulation_config":{"mode":"open_chemistry"}})";
    job.created_at_ms = job.updated_at_ms = clock.now_ms();
    job.request_fingerprint = "fp-" + job.job_id;
    job.webhook_url = url;
    EXPECT_TRUE(stores->jobs().create_job(job, JobQuota{}, clock.now_ms()));
    move_to(job.job_id, JobStatus::running);
    return job.job_id;
  }

  void move_to(const std::string& job_id, JobStatus status) {
    auto moved = stores->jobs().update_job(job_id, [&](Job& j) { return transition(j, status, clock.now_ms()).ok(); });
    ASSERT_TRUE(moved) << moved.error().message;
  }

  live2::testing::TempDir dir{"live2-webhooks"};
  FakeClock clock;
  OsRandomSource os_random;
  ZeroRandomSource zero_random;
  FixedResolver dns;
  RecordingTransport transport;
  std::unique_ptr<SqliteStores> stores;
};

TEST_F(WebhookDispatcherTest, DeliversASignedEventToThePinnedAddressOnce) {
  const std::string job_id = running_job();
  auto webhooks = dispatcher(stores->outbox());
  EXPECT_EQ(webhooks->deliver_due(), 1);
  EXPECT_EQ(webhooks->deliver_due(), 0) << "a 2xx finishes the delivery";

  ASSERT_EQ(transport.requests().size(), 1u);
  const WebhookRequest sent = transport.requests()[0];
  EXPECT_EQ(sent.target.url, kHookUrl);
  EXPECT_EQ(sent.target.address.to_string(), "93.184.216.34");
  EXPECT_EQ(sent.target.port, 443);
  EXPECT_EQ(header_of(sent, "X-Live2-Event"), "job.running");
  EXPECT_FALSE(header_of(sent, "X-Live2-Delivery").empty());
  EXPECT_TRUE(verify_webhook_signature(kSecret, header_of(sent, "X-Live2-Signature"), sent.body,
                                       clock.now_ms() / 1000, 5));
  const auto body = boost::json::parse(sent.body).as_object();
  EXPECT_EQ(body.at("event").as_string(), "job.running");
  EXPECT_EQ(body.at("job").at("job_id").as_string(), job_id);
  EXPECT_EQ(body.at("job").at("status").as_string(), "running");
  EXPECT_EQ(webhooks->counts().delivered, 1);
}

TEST_F(WebhookDispatcherTest, RetriesAfterTheBackoffWithTheSameDeliveryId) {
  running_job();
  transport.scripted = {500, Error::make(ErrorCode::timeout, "timed out"), 204};
  auto webhooks = dispatcher(stores->outbox());
  EXPECT_EQ(webhooks->deliver_due(), 1);
  clock.advance_ms(24'000 - 1);  // zero jitter: the first retry waits 0.8 x 30 s
  EXPECT_EQ(webhooks->deliver_due(), 0);
  clock.advance_ms(1);
  EXPECT_EQ(webhooks->deliver_due(), 1);
  clock.advance_ms(48'000);
  EXPECT_EQ(webhooks->deliver_due(), 1);
  clock.advance_ms(3'600'000);
  EXPECT_EQ(webhooks->deliver_due(), 0);

  const auto requests = transport.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(header_of(requests[0], "X-Live2-Delivery"), header_of(requests[2], "X-Live2-Delivery"));
  EXPECT_NE(header_of(requests[0], "X-Live2-Signature"), header_of(requests[2], "X-Live2-Signature"))
      << "every attempt is signed at its own time";
  const auto counts = webhooks->counts();
  EXPECT_EQ(counts.failed, 2);
  EXPECT_EQ(counts.delivered, 1);
  EXPECT_EQ(counts.gave_up, 0);
}

TEST_F(WebhookDispatcherTest, GivesUpAfterTwentyFourHoursOfFailures) {
  running_job();
  transport.default_status = 503;
  auto webhooks = dispatcher(stores->outbox());
  const int64_t start_ms = clock.now_ms();
  while (clock.now_ms() - start_ms < 26 * 3'600'000LL) {
    webhooks->deliver_due();
    clock.advance_ms(60'000);
  }
  const auto requests = transport.requests();
  const auto counts = webhooks->counts();
  EXPECT_EQ(counts.gave_up, 1);
  EXPECT_EQ(counts.delivered, 0);
  EXPECT_EQ(counts.failed, static_cast<int64_t>(requests.size()));
  // 8 growing delays then hourly (x0.8 jitter): about 36 attempts, the last one a day or more after the first.
  EXPECT_GE(requests.size(), 30u);
  EXPECT_LE(requests.size(), 40u);
  auto due = stores->outbox().due_webhook_deliveries(clock.now_ms() + kWebhookRetryWindowMs, 10);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty()) << "a given-up delivery is finished";
}

TEST_F(WebhookDispatcherTest, RechecksTheAddressOnEveryAttempt) {
  running_job();
  transport.scripted = {500};
  auto webhooks = dispatcher(stores->outbox());
  EXPECT_EQ(webhooks->deliver_due(), 1);
  dns.records["hooks.example.com"] = {"169.254.169.254"};  // DNS rebinding after the first attempt
  clock.advance_ms(kWebhookMaxRetryDelayMs);
  EXPECT_EQ(webhooks->deliver_due(), 1);
  EXPECT_EQ(transport.requests().size(), 1u) << "the metadata address is never contacted";
  EXPECT_EQ(webhooks->counts().refused, 1);
  EXPECT_EQ(dns.asked.size(), 2u);
  dns.records["hooks.example.com"] = {"93.184.216.34"};
  clock.advance_ms(kWebhookMaxRetryDelayMs);
  EXPECT_EQ(webhooks->deliver_due(), 1);
  EXPECT_EQ(webhooks->counts().delivered, 1);
}

TEST_F(WebhookDispatcherTest, AnInsecureUrlIsGivenUpAtOnce) {
  running_job("http://hooks.example.com/live2");
  auto webhooks = dispatcher(stores->outbox());
  EXPECT_EQ(webhooks->deliver_due(), 1);
  EXPECT_TRUE(transport.requests().empty());
  EXPECT_EQ(webhooks->counts().gave_up, 1);
  clock.advance_ms(kWebhookMaxRetryDelayMs);
  EXPECT_EQ(webhooks->deliver_due(), 0);
}

TEST_F(WebhookDispatcherTest, PendingDeliveriesSurviveARestart) {
  running_job();
  transport.scripted = {500};
  dispatcher(stores->outbox())->deliver_due();
  stores.reset();

  auto reopened = open_stores();
  auto webhooks = dispatcher(reopened->outbox());
  clock.advance_ms(kWebhookMaxRetryDelayMs);
  EXPECT_EQ(webhooks->deliver_due(), 1);
  const auto requests = transport.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(header_of(requests[0], "X-Live2-Delivery"), header_of(requests[1], "X-Live2-Delivery"));
  EXPECT_EQ(webhooks->counts().delivered, 1);
}

TEST_F(WebhookDispatcherTest, TheThreadDeliversOnWakeAndStopsPromptly) {
  auto webhooks = dispatcher(stores->outbox(), WebhookOptions{.secret = kSecret, .poll_interval_ms = 60'000});
  webhooks->start();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let it finish its first, empty pass
  const std::string job_id = running_job();
  move_to(job_id, JobStatus::completed);
  webhooks->wake();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (transport.requests().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(transport.requests().size(), 2u) << "wake() must not wait for the 60 s poll";
  EXPECT_EQ(header_of(transport.requests()[0], "X-Live2-Event"), "job.running");
  EXPECT_EQ(header_of(transport.requests()[1], "X-Live2-Event"), "job.completed");

  const auto before_stop = std::chrono::steady_clock::now();
  webhooks->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before_stop, std::chrono::seconds(1));
}

}  // namespace
}  // namespace live2::webhooks
