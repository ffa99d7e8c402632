// The store's retention queries: finished jobs due for deletion come earliest finished first and never include a
// queued or running job; marking artifacts deleted and deleting records skip unfinished jobs, take the job's tags and
// webhook deliveries with it, leave the daily quota of later jobs alone and are seen at once by get_job (cache
// included).
#include <gtest/gtest.h>

#include "core/status_machine.h"
#include "store/sqlite_connection.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

class RetentionQueriesTest : public StoreTest {
 protected:
  // A job that ran and ended in `status` at the clock's current time.
  Job finished_job(SqliteJobStore& store, const std::string& user, JobStatus status) {
    Job job = new_job(user);
    job.webhook_url = "https://example.com/hook";
    job.tags = {{"project", "origins"}};
    create(store, job);
    move_to(store, job.job_id, JobStatus::running);
    move_to(store, job.job_id, status);
    Result<std::optional<Job>> stored = store.get_job(job.job_id);
    EXPECT_TRUE(stored.ok() && stored->has_value());
    return **stored;
  }

  void move_to(SqliteJobStore& store, const std::string& job_id, JobStatus status) {
    Result<Job> moved = store.update_job(job_id, [&](Job& j) { return transition(j, status, clock_.now_ms()).ok(); });
    ASSERT_TRUE(moved.ok()) << moved.error().message;
  }

  static std::vector<std::string> ids_of(const Result<std::vector<Job>>& jobs) {
    EXPECT_TRUE(jobs.ok()) << (jobs ? "" : jobs.error().message);
    std::vector<std::string> ids;
    if (jobs) {
      for (const Job& job : *jobs) ids.push_back(job.job_id);
    }
    return ids;
  }

  int64_t count_rows(const std::string& sql) {
    auto connection = store::SqliteConnection::open(database_file(), {});
    EXPECT_TRUE(connection.ok());
    Result<store::Statement> select = (*connection)->prepare(sql);
    EXPECT_TRUE(select.ok());
    EXPECT_TRUE(select->step().ok());
    return select->integer(0);
  }
};

TEST_F(RetentionQueriesTest, DueJobsAreFinishedOnesEarliestFirstAndNeverUnfinished) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job failed = finished_job(store, "alice", JobStatus::failed);
  clock_.advance_ms(1000);
  const Job completed = finished_job(store, "bob", JobStatus::completed);
  clock_.advance_ms(1000);
  const Job cancelled = finished_job(store, "alice", JobStatus::cancelled);
  const Job queued = create(store, new_job("alice"));
  const Job running = create(store, new_job("alice"));
  move_to(store, running.job_id, JobStatus::running);
  clock_.advance_ms(1000);
  const Job recent = finished_job(store, "alice", JobStatus::completed);

  const int64_t before_ms = recent.completed_at_ms.value();
  EXPECT_EQ(ids_of(store.list_jobs_finished_before(before_ms, true, 100)),
            (std::vector<std::string>{failed.job_id, completed.job_id, cancelled.job_id}));
  EXPECT_EQ(ids_of(store.list_jobs_finished_before(before_ms, false, 2)),
            (std::vector<std::string>{failed.job_id, completed.job_id}));
  EXPECT_EQ(ids_of(store.list_jobs_finished_before(clock_.now_ms() + 1'000'000, true, 100)).size(), 4u)
      << "however late the cutoff, queued and running jobs are never due";

  // Asked to, the store still marks or deletes no unfinished job.
  EXPECT_EQ(store.mark_artifacts_deleted({queued.job_id, running.job_id}, clock_.now_ms()).value(), 0);
  EXPECT_EQ(store.delete_finished_jobs({queued.job_id, running.job_id, "job_unknown"}).value(), 0);
  EXPECT_EQ(store.get_job(queued.job_id).value()->artifacts_deleted_at_ms, std::nullopt);
  EXPECT_TRUE(store.get_job(running.job_id).value().has_value());
}

TEST_F(RetentionQueriesTest, MarkedArtifactsLeaveTheArtifactListAndShowOnTheJobAtOnce) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job old = finished_job(store, "alice", JobStatus::completed);
  const Job other = finished_job(store, "alice", JobStatus::completed);
  ASSERT_TRUE(store.get_job(old.job_id).value().has_value());  // now in the cache

  clock_.advance_ms(500);
  const int64_t now_ms = clock_.now_ms();
  EXPECT_EQ(store.mark_artifacts_deleted({old.job_id}, now_ms).value(), 1);
  EXPECT_EQ(store.mark_artifacts_deleted({old.job_id}, now_ms + 1).value(), 0) << "marked once";

  const Job marked = store.get_job(old.job_id).value().value();
  EXPECT_EQ(marked.artifacts_deleted_at_ms, now_ms) << "the cached version was replaced";
  EXPECT_EQ(marked.status, JobStatus::completed);
  EXPECT_EQ(ids_of(store.list_jobs_finished_before(now_ms, true, 100)), std::vector<std::string>{other.job_id});
  EXPECT_EQ(ids_of(store.list_jobs_finished_before(now_ms, false, 100)),
            (std::vector<std::string>{old.job_id, other.job_id}));

  // A later update of the job (e.g. its cost recorded) keeps the mark.
  ASSERT_TRUE(store.update_job(old.job_id, [](Job& job) {
                     job.error = "noted";
                     return true;
                   }).ok());
  EXPECT_EQ(store.get_job(old.job_id).value()->artifacts_deleted_at_ms, now_ms);
}

TEST_F(RetentionQueriesTest, DeletedRecordsTakeTheirTagsAndDeliveriesAndKeepTheQuotaCount) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job old = finished_job(store, "alice", JobStatus::completed);
  const Job kept = finished_job(store, "alice", JobStatus::failed);
  ASSERT_EQ(count_rows("SELECT count(*) FROM webhook_deliveries"), 4);
  ASSERT_TRUE(store.get_job(old.job_id).value().has_value());  // now in the cache

  EXPECT_EQ(store.delete_finished_jobs({old.job_id}).value(), 1);
  EXPECT_FALSE(store.get_job(old.job_id).value().has_value()) << "gone from the cache too";
  EXPECT_TRUE(store.get_job(kept.job_id).value().has_value());
  EXPECT_EQ(count_rows("SELECT count(*) FROM webhook_deliveries"), 2);
  EXPECT_EQ(count_rows("SELECT count(*) FROM job_tags"), 1);
  EXPECT_EQ(count_rows("SELECT created_jobs FROM user_job_counters WHERE user_id = 'alice'"), 2)
      << "jobs ever created, which the daily quota counts from";
  EXPECT_EQ(count_rows("PRAGMA foreign_key_check"), 0);
}

// Retention deletes jobs finished at least a day ago, so before the daily quota's window: the jobs inside the window
// still count in full (the per-user numbering the quota counts by is not moved back).
TEST_F(RetentionQueriesTest, DeletingOlderJobsLeavesTheDailyQuotaAlone) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job old = finished_job(store, "alice", JobStatus::completed);
  clock_.advance_ms(2 * 24 * 3600 * 1000LL);
  create(store, new_job("alice"));
  create(store, new_job("alice"));
  ASSERT_EQ(store.delete_finished_jobs({old.job_id}).value(), 1);

  Result<CreateJobOutcome> refused = store.create_job(new_job("alice"), JobQuota{INT64_MAX, 2}, clock_.now_ms());
  ASSERT_FALSE(refused.ok()) << "two jobs in the last 24 hours reach a daily limit of 2";
  EXPECT_EQ(refused.error().code, ErrorCode::quota_exceeded);
}

TEST_F(RetentionQueriesTest, TheQueriesUseTheirIndexes) {
  auto stores = open_stores();
  auto connection = store::SqliteConnection::open(database_file(), {});
  ASSERT_TRUE(connection.ok());
  const auto plan = [&](const std::string& sql) {
    Result<store::Statement> explain = (*connection)->prepare("EXPLAIN QUERY PLAN " + sql);
    EXPECT_TRUE(explain.ok()) << (explain ? "" : explain.error().message);
    std::string text;
    while (explain) {
      Result<bool> row = explain->step();
      if (!row || !*row) break;
      text += explain->text(3) + "\n";
    }
    return text;
  };
  EXPECT_NE(plan("DELETE FROM webhook_deliveries WHERE job_id = 'j'").find("webhook_deliveries_by_job"),
            std::string::npos);
  EXPECT_NE(plan("SELECT * FROM job_tags WHERE job_id = 'j'").find("job_tags_by_job"), std::string::npos);
}

}  // namespace
}  // namespace live2
