// The webhook outbox: the job store's update_job enqueues exactly one delivery per announced transition of a job with
// a webhook_url, in the same transaction (a delivery that cannot be stored takes the status change with it), and
// deliveries survive reopening the store.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/status_machine.h"
#include "store/sqlite_connection.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

class WebhookOutboxTest : public StoreTest {
 protected:
  Job hooked_job(SqliteStores& stores) {
    Job job = new_job("alice");
    job.webhook_url = "https://example.com/hook";
    return create(stores.jobs(), job);
  }

  void move_to(SqliteStores& stores, const Job& job, JobStatus status) {
    Result<Job> moved = stores.jobs().update_job(job.job_id, [&](Job& j) {
      return transition(j, status, clock_.now_ms()).ok();
    });
    ASSERT_TRUE(moved.ok()) << moved.error().message;
    ASSERT_EQ(moved->status, status);
  }

  std::vector<WebhookDelivery> due(SqliteStores& stores) {
    Result<std::vector<WebhookDelivery>> deliveries = stores.outbox().due_webhook_deliveries(clock_.now_ms(), 100);
    EXPECT_TRUE(deliveries.ok()) << (deliveries ? "" : deliveries.error().message);
    return deliveries ? *deliveries : std::vector<WebhookDelivery>{};
  }
};

TEST_F(WebhookOutboxTest, RunningAndCompletedAreAnnouncedWithTheJobAtThatMoment) {
  auto stores = open_stores();
  const Job job = hooked_job(*stores);
  EXPECT_TRUE(due(*stores).empty()) << "creating a queued job announces nothing";

  move_to(*stores, job, JobStatus::running);
  ASSERT_TRUE(stores->jobs().update_job(job.job_id, [](Job& j) {
    raise_progress(j, 50);
    return true;
  }).ok());
  clock_.advance_ms(10);
  move_to(*stores, job, JobStatus::completed);

  const std::vector<WebhookDelivery> deliveries = due(*stores);
  ASSERT_EQ(deliveries.size(), 2u) << "a progress update is not a transition";
  EXPECT_EQ(deliveries[0].event, "job.running");
  EXPECT_EQ(deliveries[1].event, "job.completed");
  for (const WebhookDelivery& delivery : deliveries) {
    EXPECT_EQ(delivery.job_id, job.job_id);
    EXPECT_EQ(delivery.url, "https://example.com/hook");
    EXPECT_TRUE(delivery.delivery_id.starts_with("dlv_"));
    EXPECT_EQ(delivery.attempts, 0);
    EXPECT_FALSE(delivery.finished);
  }
  EXPECT_NE(deliveries[0].delivery_id, deliveries[1].delivery_id);
  const boost::json::value running_payload = boost::json::parse(deliveries[0].payload_json);
  EXPECT_EQ(running_payload.at("job_id").as_string(), job.job_id);
  EXPECT_EQ(running_payload.at("status").as_string(), "running");
  EXPECT_EQ(boost::json::parse(deliveries[1].payload_json).at("status").as_string(), "completed");
}

TEST_F(WebhookOutboxTest, FailedAndCancelledAreAnnounced) {
  auto stores = open_stores();
  const Job failing = hooked_job(*stores);
  const Job cancelled = hooked_job(*stores);
  move_to(*stores, failing, JobStatus::failed);
  move_to(*stores, cancelled, JobStatus::cancelled);
  const std::vector<WebhookDelivery> deliveries = due(*stores);
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].event, "job.failed");
  EXPECT_EQ(deliveries[1].event, "job.cancelled");
}

TEST_F(WebhookOutboxTest, JobsWithoutAWebhookUrlEnqueueNothing) {
  auto stores = open_stores();
  const Job job = create(stores->jobs(), new_job("alice"));
  move_to(*stores, job, JobStatus::running);
  move_to(*stores, job, JobStatus::completed);
  EXPECT_TRUE(due(*stores).empty());
}

TEST_F(WebhookOutboxTest, ARefusedChangeEnqueuesNothing) {
  auto stores = open_stores();
  const Job job = hooked_job(*stores);
  move_to(*stores, job, JobStatus::completed);
  ASSERT_FALSE(stores->jobs().update_job(job.job_id, [](Job& j) {
    j.status = JobStatus::cancelled;
    return true;
  }).ok());
  ASSERT_EQ(due(*stores).size(), 1u);
}

TEST_F(WebhookOutboxTest, AStatusChangeWhoseDeliveryCannotBeStoredIsNotCommitted) {
  auto stores = open_stores();
  const Job job = hooked_job(*stores);
  {
    auto connection = store::SqliteConnection::open(database_file(), store::ConnectionOptions{});
    ASSERT_TRUE(connection) << connection.error().message;
    ASSERT_TRUE((*connection)
                    ->execute("CREATE TRIGGER refuse_deliveries BEFORE INSERT ON webhook_deliveries "
                              "BEGIN SELECT RAISE(ABORT, 'outbox refused'); END")
                    .ok());
  }
  Result<Job> moved = stores->jobs().update_job(job.job_id, [&](Job& j) {
    return transition(j, JobStatus::running, clock_.now_ms()).ok();
  });
  ASSERT_FALSE(moved.ok()) << "the outbox insert failed, so the status change must fail with it";
  EXPECT_EQ((*stores->jobs().get_job(job.job_id))->status, JobStatus::queued);
  auto reopened = open_stores();
  EXPECT_EQ((*reopened->jobs().get_job(job.job_id))->status, JobStatus::queued) << "nothing was committed";
  EXPECT_TRUE(due(*reopened).empty());
}

TEST_F(WebhookOutboxTest, RetriesWaitForTheirTimeAndFinishedDeliveriesDropOut) {
  auto stores = open_stores();
  const Job job = hooked_job(*stores);
  move_to(*stores, job, JobStatus::running);
  move_to(*stores, job, JobStatus::completed);
  std::vector<WebhookDelivery> deliveries = due(*stores);
  ASSERT_EQ(deliveries.size(), 2u);

  WebhookDelivery retry = deliveries[0];
  retry.attempts = 1;
  retry.last_error = "HTTP 503";
  retry.next_attempt_at_ms = clock_.now_ms() + 60'000;
  ASSERT_TRUE(stores->outbox().update_webhook_delivery(retry).ok());
  WebhookDelivery delivered = deliveries[1];
  delivered.attempts = 1;
  delivered.finished = true;
  ASSERT_TRUE(stores->outbox().update_webhook_delivery(delivered).ok());
  EXPECT_TRUE(due(*stores).empty());

  clock_.advance_ms(60'000);
  deliveries = due(*stores);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].delivery_id, retry.delivery_id);
  EXPECT_EQ(deliveries[0].attempts, 1);
  EXPECT_EQ(deliveries[0].last_error, "HTTP 503");
}

TEST_F(WebhookOutboxTest, DueDeliveriesRespectTheLimit) {
  auto stores = open_stores();
  for (int i = 0; i < 3; ++i) move_to(*stores, hooked_job(*stores), JobStatus::running);
  Result<std::vector<WebhookDelivery>> first_two = stores->outbox().due_webhook_deliveries(clock_.now_ms(), 2);
  ASSERT_TRUE(first_two.ok());
  EXPECT_EQ(first_two->size(), 2u);
}

TEST_F(WebhookOutboxTest, UpdatingAnUnknownDeliveryIsNotFound) {
  auto stores = open_stores();
  WebhookDelivery unknown;
  unknown.delivery_id = "dlv_missing";
  Status updated = stores->outbox().update_webhook_delivery(unknown);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::not_found);
}

TEST_F(WebhookOutboxTest, DeliveriesSurviveReopening) {
  std::string delivery_id;
  {
    auto stores = open_stores();
    move_to(*stores, hooked_job(*stores), JobStatus::cancelled);
    delivery_id = due(*stores).at(0).delivery_id;
  }
  auto reopened = open_stores();
  const std::vector<WebhookDelivery> deliveries = due(*reopened);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].delivery_id, delivery_id);
  EXPECT_EQ(deliveries[0].event, "job.cancelled");
}

}  // namespace
}  // namespace live2
