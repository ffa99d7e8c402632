// create_job: idempotency keys (including a many-thread race on one file from two store instances) and quotas.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/status_machine.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

class CreateJobTest : public StoreTest {
 protected:
  Job keyed_job(const std::string& user_id, const std::string& key, const std::string& fingerprint) {
    Job job = new_job(user_id);
    job.idempotency_key = key;
    job.request_fingerprint = fingerprint;
    return job;
  }
};

TEST_F(CreateJobTest, SameKeyAndBodyReturnsTheOriginalJob) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  int heard = 0;
  store.add_listener([&](const Job&) { ++heard; });
  const Job first = keyed_job("alice", "k1", "body-a");
  Result<CreateJobOutcome> created = store.create_job(first, JobQuota{}, clock_.now_ms());
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->created);

  Result<CreateJobOutcome> replayed =
      store.create_job(keyed_job("alice", "k1", "body-a"), JobQuota{}, clock_.now_ms());
  ASSERT_TRUE(replayed.ok());
  EXPECT_FALSE(replayed->created);
  EXPECT_EQ(replayed->job.job_id, first.job_id);
  EXPECT_EQ(heard, 1);
  EXPECT_EQ(store.list_jobs({})->size(), 1u);
}

TEST_F(CreateJobTest, SameKeyWithAnotherBodyIsAConflict) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  ASSERT_TRUE(store.create_job(keyed_job("alice", "k1", "body-a"), JobQuota{}, clock_.now_ms()).ok());
  Result<CreateJobOutcome> reused = store.create_job(keyed_job("alice", "k1", "body-b"), JobQuota{}, clock_.now_ms());
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().code, ErrorCode::conflict);
  EXPECT_EQ(store.list_jobs({})->size(), 1u);
}

TEST_F(CreateJobTest, KeysBelongToTheirUser) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  Result<CreateJobOutcome> alice = store.create_job(keyed_job("alice", "k1", "body-a"), JobQuota{}, clock_.now_ms());
  Result<CreateJobOutcome> bob = store.create_job(keyed_job("bob", "k1", "body-b"), JobQuota{}, clock_.now_ms());
  ASSERT_TRUE(alice.ok() && bob.ok());
  EXPECT_TRUE(bob->created);
  EXPECT_NE(alice->job.job_id, bob->job.job_id);
}

TEST_F(CreateJobTest, ConcurrentRequestsWithOneKeyCreateOneJob) {
  // Two store instances on one file stand in for two processes: only SQLite's write lock separates them.
  auto stores_a = open_stores();
  auto stores_b = open_stores();
  constexpr int kThreads = 16;
  std::vector<Job> jobs;
  for (int i = 0; i < kThreads; ++i) jobs.push_back(keyed_job("alice", "race", "same-body"));

  std::mutex results_mutex;
  std::set<std::string> returned_ids;
  int created_count = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      SqliteJobStore& store = i % 2 == 0 ? stores_a->jobs() : stores_b->jobs();
      Result<CreateJobOutcome> outcome = store.create_job(jobs[static_cast<size_t>(i)], JobQuota{}, clock_.now_ms());
      std::lock_guard lock(results_mutex);
      ASSERT_TRUE(outcome.ok()) << outcome.error().message;
      returned_ids.insert(outcome->job.job_id);
      created_count += outcome->created ? 1 : 0;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created_count, 1);
  EXPECT_EQ(returned_ids.size(), 1u);
  EXPECT_EQ(stores_a->jobs().list_jobs({})->size(), 1u);
}

TEST_F(CreateJobTest, ConcurrentRequestsWithOneKeyAndDifferentBodiesConflict) {
  auto stores_a = open_stores();
  auto stores_b = open_stores();
  constexpr int kThreads = 16;
  std::vector<Job> jobs;
  for (int i = 0; i < kThreads; ++i) jobs.push_back(keyed_job("alice", "race", "body-" + std::to_string(i)));

  std::mutex results_mutex;
  int created_count = 0;
  int conflict_count = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      SqliteJobStore& store = i % 2 == 0 ? stores_a->jobs() : stores_b->jobs();
      Result<CreateJobOutcome> outcome = store.create_job(jobs[static_cast<size_t>(i)], JobQuota{}, clock_.now_ms());
      std::lock_guard lock(results_mutex);
      if (outcome.ok()) {
        created_count += outcome->created ? 1 : 0;
      } else {
        EXPECT_EQ(outcome.error().code, ErrorCode::conflict) << outcome.error().message;
        ++conflict_count;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created_count, 1);
  EXPECT_EQ(conflict_count, kThreads - 1);
}

TEST_F(CreateJobTest, ActiveJobLimitCountsQueuedAndRunningJobs) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const JobQuota quota{.max_active_jobs = 2};
  const Job first = new_job("alice");
  ASSERT_TRUE(store.create_job(first, quota, clock_.now_ms()).ok());
  ASSERT_TRUE(store.create_job(new_job("alice"), quota, clock_.now_ms()).ok());
  ASSERT_TRUE(store.update_job(first.job_id, [&](Job& j) {
    return transition(j, JobStatus::running, clock_.now_ms()).ok();
  }).ok());

  Result<CreateJobOutcome> third = store.create_job(new_job("alice"), quota, clock_.now_ms());
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::quota_exceeded);
  EXPECT_NE(third.error().message.find("concurrent job limit of 2"), std::string::npos) << third.error().message;
  EXPECT_TRUE(store.create_job(new_job("bob"), quota, clock_.now_ms()).ok()) << "other users are not affected";

  ASSERT_TRUE(store.update_job(first.job_id, [&](Job& j) {
    return transition(j, JobStatus::completed, clock_.now_ms()).ok();
  }).ok());
  EXPECT_TRUE(store.create_job(new_job("alice"), quota, clock_.now_ms()).ok());
}

TEST_F(CreateJobTest, DailyLimitCountsTheLast24Hours) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const JobQuota quota{.max_jobs_per_day = 3};
  const int64_t day_ms = 24LL * 60 * 60 * 1000;
  const int64_t first_created_ms = clock_.now_ms();
  for (int i = 0; i < 3; ++i) {
    const Job job = new_job("alice");
    ASSERT_TRUE(store.create_job(job, quota, job.created_at_ms).ok());
    ASSERT_TRUE(store.update_job(job.job_id, [&](Job& j) {
      return transition(j, JobStatus::completed, clock_.now_ms()).ok();
    }).ok()) << "finished jobs still count";
  }

  clock_.set_ms(first_created_ms + day_ms - 1);
  const Job too_many = new_job("alice");
  Result<CreateJobOutcome> refused = store.create_job(too_many, quota, too_many.created_at_ms);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::quota_exceeded);
  EXPECT_NE(refused.error().message.find("daily job limit of 3"), std::string::npos) << refused.error().message;

  clock_.set_ms(first_created_ms + day_ms);  // the first job is now 24 h old and no longer counts
  const Job next_day = new_job("alice");
  EXPECT_TRUE(store.create_job(next_day, quota, next_day.created_at_ms).ok());
}

TEST_F(CreateJobTest, QuotasHoldAcrossReopening) {
  const JobQuota quota{.max_active_jobs = 2, .max_jobs_per_day = 3};
  {
    auto stores = open_stores();
    SqliteJobStore& store = stores->jobs();
    Job finished = new_job("alice");
    finished.status = JobStatus::completed;  // created finished: counts for the day, not as active
    ASSERT_TRUE(store.create_job(finished, quota, clock_.now_ms()).ok());
    const Job cancelled = new_job("alice");
    ASSERT_TRUE(store.create_job(cancelled, quota, clock_.now_ms()).ok());
    ASSERT_TRUE(store.update_job(cancelled.job_id, [&](Job& j) {
      return transition(j, JobStatus::cancelled, clock_.now_ms()).ok();
    }).ok());
  }
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  ASSERT_TRUE(store.create_job(new_job("alice"), quota, clock_.now_ms()).ok()) << "one active, three today";
  Result<CreateJobOutcome> refused = store.create_job(new_job("alice"), quota, clock_.now_ms());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("daily job limit of 3"), std::string::npos) << refused.error().message;
}

TEST_F(CreateJobTest, ReplayingAKeyIsNotBlockedByTheQuota) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const JobQuota quota{.max_active_jobs = 1};
  const Job first = keyed_job("alice", "k1", "body-a");
  ASSERT_TRUE(store.create_job(first, quota, clock_.now_ms()).ok());
  Result<CreateJobOutcome> replayed = store.create_job(keyed_job("alice", "k1", "body-a"), quota, clock_.now_ms());
  ASSERT_TRUE(replayed.ok()) << replayed.error().message;
  EXPECT_EQ(replayed->job.job_id, first.job_id);
}

}  // namespace
}  // namespace live2
