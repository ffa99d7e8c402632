// Jobs in SqliteJobStore: every field round-trips, listings and cursors, update_job and its listeners, persistence.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "core/status_machine.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

void expect_same_job(const Job& actual, const Job& expected) {
  EXPECT_EQ(actual.job_id, expected.job_id);
  EXPECT_EQ(actual.user_id, expected.user_id);
  EXPECT_EQ(actual.job_type, expected.job_type);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.progress, expected.progress);
  EXPECT_EQ(actual.params_json, expected.params_json);
  EXPECT_EQ(actual.created_at_ms, expected.created_at_ms);
  EXPECT_EQ(actual.started_at_ms, expected.started_at_ms);
  EXPECT_EQ(actual.completed_at_ms, expected.completed_at_ms);
  EXPECT_EQ(actual.cancelled_at_ms, expected.cancelled_at_ms);
  EXPECT_EQ(actual.error, expected.error);
  EXPECT_EQ(actual.estimated_time_s, expected.estimated_time_s);
  EXPECT_EQ(actual.eta_seconds, expected.eta_seconds);
  EXPECT_EQ(actual.cancel_requested, expected.cancel_requested);
  EXPECT_EQ(actual.webhook_url, expected.webhook_url);
  EXPECT_EQ(actual.idempotency_key, expected.idempotency_key);
  EXPECT_EQ(actual.request_fingerprint, expected.request_fingerprint);
  EXPECT_EQ(actual.particle_steps, expected.particle_steps);
  EXPECT_EQ(actual.executor.kind, expected.executor.kind);
  EXPECT_EQ(actual.executor.submit_state, expected.executor.submit_state);
  EXPECT_EQ(actual.executor.external_id, expected.executor.external_id);
  EXPECT_EQ(actual.executor.external_status, expected.executor.external_status);
  EXPECT_EQ(actual.executor.status_reason, expected.executor.status_reason);
  EXPECT_EQ(actual.executor.attempts, expected.executor.attempts);
  EXPECT_EQ(actual.executor.exit_code, expected.executor.exit_code);
  EXPECT_EQ(actual.executor.log_stream, expected.executor.log_stream);
  EXPECT_EQ(actual.executor.status_since_ms, expected.executor.status_since_ms);
  EXPECT_EQ(actual.executor.vcpus, expected.executor.vcpus);
  EXPECT_EQ(actual.executor.memory_mib, expected.executor.memory_mib);
  EXPECT_EQ(actual.executor.compute_environment, expected.executor.compute_environment);
  EXPECT_EQ(actual.executor.log_url, expected.executor.log_url);
  EXPECT_EQ(actual.tier, expected.tier);
  EXPECT_EQ(actual.cost.has_value(), expected.cost.has_value());
  if (actual.cost && expected.cost) {
    EXPECT_EQ(actual.cost->vcpu_hours, expected.cost->vcpu_hours);
    EXPECT_EQ(actual.cost->gb_hours, expected.cost->gb_hours);
    EXPECT_EQ(actual.cost->usd, expected.cost->usd);
  }
  EXPECT_EQ(actual.updated_at_ms, expected.updated_at_ms);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.tags, expected.tags);
  EXPECT_EQ(actual.artifacts_deleted_at_ms, expected.artifacts_deleted_at_ms);
}

std::vector<std::string> ids_of(const std::vector<Job>& jobs) {
  std::vector<std::string> ids;
  for (const Job& job : jobs) ids.push_back(job.job_id);
  return ids;
}

// Builds a JobFilter by naming only what a test cares about.
struct Filter {
  JobFilter value;
  Filter& user(std::string user_id) {
    value.user_id = std::move(user_id);
    return *this;
  }
  Filter& statuses(std::vector<JobStatus> statuses) {
    value.statuses = std::move(statuses);
    return *this;
  }
  Filter& job_type(std::string job_type) {
    value.job_type = std::move(job_type);
    return *this;
  }
  Filter& name(std::string text) {
    value.name_contains = std::move(text);
    return *this;
  }
  Filter& tag(std::string key, std::optional<std::string> tag_value = std::nullopt) {
    value.tags.emplace_back(std::move(key), std::move(tag_value));
    return *this;
  }
  Filter& limit(int limit) {
    value.limit = limit;
    return *this;
  }
};

std::vector<Job> list(SqliteJobStore& store, const JobFilter& filter) {
  Result<std::vector<Job>> jobs = store.list_jobs(filter);
  EXPECT_TRUE(jobs.ok()) << (jobs ? "" : jobs.error().message);
  return jobs ? *jobs : std::vector<Job>{};
}

class JobsTest : public StoreTest {};

TEST_F(JobsTest, EveryFieldSurvivesCreateAndGet) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  Job job = new_job("user_1");
  job.status = JobStatus::failed;
  job.progress = 42.5;
  job.started_at_ms = job.created_at_ms + 10;
  job.completed_at_ms = job.created_at_ms + 20;
  job.cancelled_at_ms = job.created_at_ms + 30;
  job.error = "worker exited with code 3";
  job.eta_seconds = 17.25;
  job.cancel_requested = true;
  job.webhook_url = "https://example.com/hook";
  job.idempotency_key = "key-1";
  job.name = "T x carbon scan";
  job.tags = {{"project", "origins"}, {"run", ""}};
  job.executor = ExecutorInfo{"aws_batch", SubmitState::submitted, "batch-123", "FAILED", "Essential container exited",
                              2, 137, "live2/default/abc", job.created_at_ms + 15, 0.25, 1024};
  job.tier = Tier::research;
  job.cost = JobCost{0.5, 1.0, 0.0072};
  job.executor.compute_environment = "live2-compute-env-on-demand";
  job.executor.log_url = "https://eu-central-1.console.aws.amazon.com/cloudwatch/home";
  create(store, job);

  Result<std::optional<Job>> loaded = store.get_job(job.job_id);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  ASSERT_TRUE(loaded->has_value());
  expect_same_job(**loaded, job);
}

TEST_F(JobsTest, OptionalFieldsStayAbsent) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job job = new_job("user_1");
  create(store, job);
  Result<std::optional<Job>> loaded = store.get_job(job.job_id);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  expect_same_job(**loaded, job);
}

TEST_F(JobsTest, UnknownJobIsAbsentNotAnError) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  Result<std::optional<Job>> loaded = store.get_job("job_doesnotexist0000000000");
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->has_value());
}

TEST_F(JobsTest, ListsNewestFirstWithFilters) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job a1 = create(store, new_job("alice"));
  const Job b1 = create(store, new_job("bob"));
  Job a2 = new_job("alice");
  a2.status = JobStatus::running;
  create(store, a2);
  Job a3 = new_job("alice");
  a3.status = JobStatus::completed;
  a3.job_type = "generate_dataset";
  create(store, a3);

  EXPECT_EQ(ids_of(list(store, {})), (std::vector<std::string>{a3.job_id, a2.job_id, b1.job_id, a1.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().user("alice").value)),
            (std::vector<std::string>{a3.job_id, a2.job_id, a1.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().user("alice").statuses({JobStatus::queued, JobStatus::running}).value)),
            (std::vector<std::string>{a2.job_id, a1.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().statuses({JobStatus::queued, JobStatus::queued}).value)),
            (std::vector<std::string>{b1.job_id, a1.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().job_type("generate_dataset").value)), (std::vector<std::string>{a3.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().user("alice").limit(1).value)), (std::vector<std::string>{a3.job_id}));
  EXPECT_TRUE(list(store, Filter().user("carol").value).empty());
}

TEST_F(JobsTest, ListsByNameAndTags) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  Job scan = new_job("alice");
  scan.name = "T x Carbon scan";
  scan.tags = {{"project", "origins"}, {"phase", "1"}};
  create(store, scan);
  Job other = new_job("alice");
  other.name = "100% done_ok";
  other.tags = {{"project", "clouds"}};
  create(store, other);
  Job bobs = new_job("bob");
  bobs.name = "carbon";
  bobs.tags = {{"project", "origins"}};
  create(store, bobs);
  create(store, new_job("alice"));  // neither name nor tags

  EXPECT_EQ(ids_of(list(store, Filter().user("alice").name("carbon").value)), (std::vector<std::string>{scan.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().name("CARBON").value)), (std::vector<std::string>{bobs.job_id, scan.job_id}));
  // LIKE's own wildcards in the text match only themselves.
  EXPECT_EQ(ids_of(list(store, Filter().name("0% d").value)), (std::vector<std::string>{other.job_id}));
  EXPECT_TRUE(list(store, Filter().name("x_C").value).empty());
  EXPECT_EQ(ids_of(list(store, Filter().name("_").value)), (std::vector<std::string>{other.job_id}));

  EXPECT_EQ(ids_of(list(store, Filter().user("alice").tag("project", "origins").value)),
            (std::vector<std::string>{scan.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().tag("project", "origins").value)),
            (std::vector<std::string>{bobs.job_id, scan.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().user("alice").tag("project").value)),
            (std::vector<std::string>{other.job_id, scan.job_id}));
  EXPECT_EQ(ids_of(list(store, Filter().tag("project", "origins").tag("phase", "1").value)),
            (std::vector<std::string>{scan.job_id}));
  EXPECT_TRUE(list(store, Filter().tag("project", "origins").tag("phase", "2").value).empty());
  EXPECT_TRUE(list(store, Filter().user("bob").tag("phase").value).empty());
}

TEST_F(JobsTest, CursorPagingIsStableWhileJobsAreCreated) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  std::vector<std::string> original;
  for (int i = 0; i < 25; ++i) original.push_back(create(store, new_job("alice")).job_id);
  std::reverse(original.begin(), original.end());

  std::vector<std::string> seen;
  JobFilter filter = Filter().user("alice").limit(10).value;
  while (true) {
    std::vector<Job> page = list(store, filter);
    for (const Job& job : page) seen.push_back(job.job_id);
    if (static_cast<int>(page.size()) < filter.limit) break;
    filter.before_job_id = page.back().job_id;
    create(store, new_job("alice"));  // a newer job must not shift the pages still to come
  }
  EXPECT_EQ(seen, original);
}

TEST_F(JobsTest, UnfinishedJobsAreListedOldestFirst) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job queued = create(store, new_job("alice"));
  Job done = new_job("alice");
  done.status = JobStatus::completed;
  create(store, done);
  Job running = new_job("bob");
  running.status = JobStatus::running;
  create(store, running);

  Result<std::vector<Job>> unfinished = store.list_unfinished_jobs();
  ASSERT_TRUE(unfinished.ok());
  EXPECT_EQ(ids_of(*unfinished), (std::vector<std::string>{queued.job_id, running.job_id}));
}

TEST_F(JobsTest, ExecutorsSeeWaitingAndHandedOverJobsSeparately) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job handed_over = create(store, new_job("alice"));
  ASSERT_TRUE(store.update_job(handed_over.job_id, [](Job& j) {
    j.executor.submit_state = SubmitState::submitted;
    return true;
  }).ok());
  const Job waiting_1 = create(store, new_job("bob"));
  Job finished = new_job("alice");
  finished.status = JobStatus::failed;
  create(store, finished);
  Job submitting = new_job("alice");
  submitting.status = JobStatus::running;
  submitting.executor.submit_state = SubmitState::submitting;
  create(store, submitting);
  const Job waiting_2 = create(store, new_job("alice"));
  const Job waiting_3 = create(store, new_job("alice"));

  Result<std::vector<Job>> next = store.list_jobs_awaiting_executor(2);
  ASSERT_TRUE(next.ok()) << next.error().message;
  EXPECT_EQ(ids_of(*next), (std::vector<std::string>{waiting_1.job_id, waiting_2.job_id}));
  EXPECT_EQ(ids_of(*store.list_jobs_awaiting_executor(10)),
            (std::vector<std::string>{waiting_1.job_id, waiting_2.job_id, waiting_3.job_id}));
  Result<std::vector<Job>> taken = store.list_handed_over_jobs();
  ASSERT_TRUE(taken.ok()) << taken.error().message;
  EXPECT_EQ(ids_of(*taken), (std::vector<std::string>{handed_over.job_id, submitting.job_id}));
}

TEST_F(JobsTest, CountsJobsByStatus) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  create(store, new_job("alice"));
  create(store, new_job("bob"));
  Job done = new_job("bob");
  done.status = JobStatus::completed;
  create(store, done);
  EXPECT_EQ(*store.count_jobs_by_status(JobStatus::queued), 2);
  EXPECT_EQ(*store.count_jobs_by_status(JobStatus::completed), 1);
  EXPECT_EQ(*store.count_jobs_by_status(JobStatus::failed), 0);
}

TEST_F(JobsTest, UpdateWritesTheMutationAndTellsListenersAfterCommit) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job job = create(store, new_job("alice"));
  std::vector<Job> heard;
  store.add_listener([&](const Job& changed) {
    // After commit: a reader already sees the change, and the store is usable from the listener.
    Result<std::optional<Job>> stored = store.get_job(changed.job_id);
    EXPECT_TRUE(stored.ok() && stored->has_value() && (*stored)->status == changed.status);
    heard.push_back(changed);
  });

  clock_.advance_ms(500);
  Result<Job> updated = store.update_job(job.job_id, [&](Job& j) {
    EXPECT_TRUE(transition(j, JobStatus::running, clock_.now_ms()).ok());
    raise_progress(j, 10);
    return true;
  });
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->status, JobStatus::running);
  EXPECT_EQ(updated->progress, 10);
  EXPECT_EQ(updated->updated_at_ms, clock_.now_ms());
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].status, JobStatus::running);
  expect_same_job(**store.get_job(job.job_id), *updated);
}

TEST_F(JobsTest, DeclinedMutationWritesNothingAndTellsNoOne) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job job = create(store, new_job("alice"));
  int heard = 0;
  store.add_listener([&](const Job&) { ++heard; });
  clock_.advance_ms(500);
  Result<Job> unchanged = store.update_job(job.job_id, [](Job& j) {
    j.progress = 99;
    return false;
  });
  ASSERT_TRUE(unchanged.ok());
  EXPECT_EQ(unchanged->progress, 0);
  EXPECT_EQ((*store.get_job(job.job_id))->progress, 0);
  EXPECT_EQ((*store.get_job(job.job_id))->updated_at_ms, job.updated_at_ms);
  EXPECT_EQ(heard, 0);
}

TEST_F(JobsTest, UpdateOfUnknownJobIsNotFound) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  Result<Job> updated = store.update_job("job_missing0000000000000000", [](Job&) { return true; });
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, ErrorCode::not_found);
}

TEST_F(JobsTest, TerminalStatusNeverChanges) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job job = create(store, new_job("alice"));
  ASSERT_TRUE(store.update_job(job.job_id, [&](Job& j) {
    return transition(j, JobStatus::completed, clock_.now_ms()).ok();
  }).ok());
  Result<Job> rewritten = store.update_job(job.job_id, [](Job& j) {
    j.status = JobStatus::failed;
    return true;
  });
  ASSERT_FALSE(rewritten.ok());
  EXPECT_EQ(rewritten.error().code, ErrorCode::conflict);
  EXPECT_EQ((*store.get_job(job.job_id))->status, JobStatus::completed);
}

TEST_F(JobsTest, ConcurrentUpdatesLoseNoChange) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  const Job job = create(store, new_job("alice"));
  constexpr int kThreads = 8;
  constexpr int kIncrementsPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        EXPECT_TRUE(store.update_job(job.job_id, [](Job& j) {
          ++j.executor.attempts;
          return true;
        }).ok());
        EXPECT_TRUE(store.get_job(job.job_id).ok());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ((*store.get_job(job.job_id))->executor.attempts, kThreads * kIncrementsPerThread);
}

TEST_F(JobsTest, JobsSurviveReopening) {
  Job job = new_job("alice");
  {
    auto stores = open_stores();
    SqliteJobStore& store = stores->jobs();
    create(store, job);
    job = *store.update_job(job.job_id, [](Job& j) {
      j.executor.kind = "local";
      j.executor.submit_state = SubmitState::submitting;
      return true;
    });
  }
  auto reopened = open_stores();
  Result<std::optional<Job>> loaded = reopened->jobs().get_job(job.job_id);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  expect_same_job(**loaded, job);
}

}  // namespace
}  // namespace live2
