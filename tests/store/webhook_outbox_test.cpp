// The webhook outbox: update_job enqueues exactly one delivery per announced transition of a job with a webhook_url,
// in the same transaction, and deliveries survive reopening the store.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/status_machine.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

class WebhookOutboxTest : public StoreTest {
 protected:
  Job hooked_job(SqliteJobStore& store) {
    Job job = new_job("alice");
    job.webhook_url = "https://example.com/hook";
    return create(store, job);
  }

  void move_to(SqliteJobStore& store, const Job& job, JobStatus status) {
    Result<Job> moved = store.update_job(job.job_id, [&](Job& j) {
      return transition(j, status, clock_.now_ms()).ok();
    });
    ASSERT_TRUE(moved.ok()) << moved.error().message;
    ASSERT_EQ(moved->status, status);
  }

  std::vector<WebhookDelivery> due(SqliteJobStore& store) {
    Result<std::vector<WebhookDelivery>> deliveries = store.due_webhook_deliveries(clock_.now_ms(), 100);
    EXPECT_TRUE(deliveries.ok()) << (deliveries ? "" : deliveries.error().message);
    return deliveries ? *deliveries : std::vector<WebhookDelivery>{};
  }
};

TEST_F(WebhookOutboxTest, RunningAndCompletedAreAnnouncedWithTheJobAtThatMoment) {
  auto store = open_store();
  const Job job = hooked_job(*store);
  EXPECT_TRUE(due(*store).empty()) << "creating a queued job announces nothing";

  move_to(*store, job, JobStatus::running);
  ASSERT_TRUE(store->update_job(job.job_id, [](Job& j) {
    raise_progress(j, 50);
    return true;
  }).ok());
  clock_.advance_ms(10);
  move_to(*store, job, JobStatus::completed);

  const std::vector<WebhookDelivery> deliveries = due(*store);
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
  auto store = open_store();
  const Job failing = hooked_job(*store);
  const Job cancelled = hooked_job(*store);
  move_to(*store, failing, JobStatus::failed);
  move_to(*store, cancelled, JobStatus::cancelled);
  const std::vector<WebhookDelivery> deliveries = due(*store);
  ASSERT_EQ(deliveries.size(), 2u);
  EXPECT_EQ(deliveries[0].event, "job.failed");
  EXPECT_EQ(deliveries[1].event, "job.cancelled");
}

TEST_F(WebhookOutboxTest, JobsWithoutAWebhookUrlEnqueueNothing) {
  auto store = open_store();
  const Job job = create(*store, new_job("alice"));
  move_to(*store, job, JobStatus::running);
  move_to(*store, job, JobStatus::completed);
  EXPECT_TRUE(due(*store).empty());
}

TEST_F(WebhookOutboxTest, ARefusedChangeEnqueuesNothing) {
  auto store = open_store();
  const Job job = hooked_job(*store);
  move_to(*store, job, JobStatus::completed);
  ASSERT_FALSE(store->update_job(job.job_id, [](Job& j) {
    j.status = JobStatus::cancelled;
    return true;
  }).ok());
  ASSERT_EQ(due(*store).size(), 1u);
}

TEST_F(WebhookOutboxTest, RetriesWaitForTheirTimeAndFinishedDeliveriesDropOut) {
  auto store = open_store();
  const Job job = hooked_job(*store);
  move_to(*store, job, JobStatus::running);
  move_to(*store, job, JobStatus::completed);
  std::vector<WebhookDelivery> deliveries = due(*store);
  ASSERT_EQ(deliveries.size(), 2u);

  WebhookDelivery retry = deliveries[0];
  retry.attempts = 1;
  retry.last_error = "HTTP 503";
  retry.next_attempt_at_ms = clock_.now_ms() + 60'000;
  ASSERT_TRUE(store->update_webhook_delivery(retry).ok());
  WebhookDelivery delivered = deliveries[1];
  delivered.attempts = 1;
  delivered.finished = true;
  ASSERT_TRUE(store->update_webhook_delivery(delivered).ok());
  EXPECT_TRUE(due(*store).empty());

  clock_.advance_ms(60'000);
  deliveries = due(*store);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].delivery_id, retry.delivery_id);
  EXPECT_EQ(deliveries[0].attempts, 1);
  EXPECT_EQ(deliveries[0].last_error, "HTTP 503");
}

TEST_F(WebhookOutboxTest, DueDeliveriesRespectTheLimit) {
  auto store = open_store();
  for (int i = 0; i < 3; ++i) move_to(*store, hooked_job(*store), JobStatus::running);
  Result<std::vector<WebhookDelivery>> first_two = store->due_webhook_deliveries(clock_.now_ms(), 2);
  ASSERT_TRUE(first_two.ok());
  EXPECT_EQ(first_two->size(), 2u);
}

TEST_F(WebhookOutboxTest, UpdatingAnUnknownDeliveryIsNotFound) {
  auto store = open_store();
  WebhookDelivery unknown;
  unknown.delivery_id = "dlv_missing";
  Status updated = store->update_webhook_delivery(unknown);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::not_found);
}

TEST_F(WebhookOutboxTest, DeliveriesSurviveReopening) {
  std::string delivery_id;
  {
    auto store = open_store();
    move_to(*store, hooked_job(*store), JobStatus::cancelled);
    delivery_id = due(*store).at(0).delivery_id;
  }
  auto reopened = open_store();
  const std::vector<WebhookDelivery> deliveries = due(*reopened);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].delivery_id, delivery_id);
  EXPECT_EQ(deliveries[0].event, "job.cancelled");
}

}  // namespace
}  // namespace live2
