// A dataset's runs in SqliteJobStore: created with their job, paged, claimed by status, and every run change keeps
// the job's counts and progress in step, in one transaction.
#include <gtest/gtest.h>

#include <vector>

#include "store_test_fixture.h"

namespace live2 {
namespace {

class RunsTest : public StoreTest {
 protected:
  // A dataset job with `count` queued runs.
  std::pair<Job, std::vector<live2::Run>> new_dataset(const std::string& user_id, int count) {
    Job job = new_job(user_id);
    job.job_type = "generate_dataset";
    job.runs.total = job.runs.queued = count;
    std::vector<live2::Run> runs;
    for (int i = 0; i < count; ++i) {
      live2::Run run;
      run.job_id = job.job_id;
      run.index = i;
      run.params_json = R"({"simulation_config":{"mode":"open_chemistry","config":{"seed":)" + std::to_string(i) + "}}}";
      run.sweep_json = R"({"temperature":)" + std::to_string(300 + i) + "}";
      run.seed = 0xffff'ffff'ffff'fff0ULL + static_cast<uint64_t>(i);  // above INT64_MAX: stored as its 64 bits
      runs.push_back(run);
    }
    return {job, runs};
  }

  live2::Run set_status(SqliteJobStore& store, const std::string& job_id, int64_t index, JobStatus status,
                 double progress) {
    Result<live2::Run> run = store.update_run(job_id, index, [&](live2::Run& changed) {
      changed.status = status;
      changed.progress = progress;
      return true;
    });
    EXPECT_TRUE(run.ok()) << (run ? "" : run.error().message);
    return run ? *run : live2::Run{};
  }
};

TEST_F(RunsTest, ADatasetIsOneJobWithItsRunsBeside) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  auto [job, runs] = new_dataset("alice", 5);
  Result<CreateJobOutcome> created = store.create_dataset(job, runs, JobQuota{1, 1}, clock_.now_ms());
  ASSERT_TRUE(created.ok()) << created.error().message;
  // As one job against the quotas: a second job is over the concurrent limit of 1.
  EXPECT_EQ(store.create_job(new_job("alice"), JobQuota{1, 10}, clock_.now_ms()).error().code,
            ErrorCode::quota_exceeded);
  Result<std::vector<Job>> listed = store.list_jobs(JobFilter{});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->at(0).runs, (RunCounts{5, 5, 0, 0, 0, 0}));

  Result<std::vector<live2::Run>> page = store.list_runs(job.job_id, 2, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ(page->at(0).index, 2);
  EXPECT_EQ(page->at(1).index, 3);
  EXPECT_EQ(page->at(1).seed, runs[3].seed);
  EXPECT_EQ(page->at(1).params_json, runs[3].params_json);
  EXPECT_EQ(page->at(1).sweep_json, runs[3].sweep_json);
  EXPECT_EQ(store.list_runs(job.job_id, 4, 10)->size(), 1u);
  EXPECT_TRUE(store.list_runs("job_other0000000000000000", 0, 10)->empty());
}

TEST_F(RunsTest, RunChangesKeepTheDatasetsCountsAndProgressInStep) {
  auto stores = open_stores();
  SqliteJobStore& store = stores->jobs();
  auto [job, runs] = new_dataset("alice", 4);
  ASSERT_TRUE(store.create_dataset(job, runs, JobQuota{}, clock_.now_ms()).ok());
  std::vector<Job> heard;
  store.add_listener([&](const Job& changed) { heard.push_back(changed); });

  set_status(store, job.job_id, 0, JobStatus::running, 50);
  set_status(store, job.job_id, 1, JobStatus::completed, 100);
  Job now = **store.get_job(job.job_id);
  EXPECT_EQ(now.runs, (RunCounts{4, 2, 1, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(now.progress, (100.0 + 50.0) / 4);
  ASSERT_FALSE(heard.empty());
  EXPECT_EQ(heard.back().runs, now.runs);

  // A retried run goes back to queued: the dataset's progress does not step back.
  set_status(store, job.job_id, 0, JobStatus::queued, 0);
  EXPECT_DOUBLE_EQ((*store.get_job(job.job_id))->progress, (100.0 + 50.0) / 4);

  Result<std::vector<live2::Run>> queued = store.list_runs_with_status(job.job_id, JobStatus::queued, 10);
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->size(), 3u);
  EXPECT_EQ(queued->at(0).index, 0);
  // Paged by index within a status: the queued runs from index 1 on.
  Result<std::vector<live2::Run>> later_queued = store.list_runs(job.job_id, 1, 10, JobStatus::queued);
  ASSERT_TRUE(later_queued.ok());
  ASSERT_EQ(later_queued->size(), 2u);
  EXPECT_EQ(later_queued->at(0).index, 2);
  EXPECT_EQ(store.list_runs(job.job_id, 0, 10, JobStatus::completed)->at(0).index, 1);

  set_status(store, job.job_id, 2, JobStatus::failed, 10);
  Result<int64_t> cancelled = store.cancel_queued_runs(job.job_id);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(*cancelled, 2);
  now = **store.get_job(job.job_id);
  EXPECT_EQ(now.runs, (RunCounts{4, 0, 0, 1, 1, 2}));
  EXPECT_DOUBLE_EQ(now.progress, 100);
  EXPECT_EQ(*store.cancel_queued_runs(job.job_id), 0);

  // A finished run never changes status again.
  Result<live2::Run> reopened = store.update_run(job.job_id, 1, [](live2::Run& run) {
    run.status = JobStatus::running;
    return true;
  });
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error().code, ErrorCode::conflict);
  EXPECT_EQ(store.update_run(job.job_id, 9, [](live2::Run&) { return true; }).error().code, ErrorCode::not_found);
}

TEST_F(RunsTest, RunsSurviveReopening) {
  std::string job_id;
  {
    auto stores = open_stores();
    auto [job, runs] = new_dataset("alice", 3);
    job_id = job.job_id;
    ASSERT_TRUE(stores->jobs().create_dataset(job, runs, JobQuota{}, clock_.now_ms()).ok());
    set_status(stores->jobs(), job_id, 1, JobStatus::running, 20);
  }
  auto stores = open_stores();
  EXPECT_EQ((*stores->jobs().get_job(job_id))->runs, (RunCounts{3, 2, 1, 0, 0, 0}));
  Result<std::vector<live2::Run>> running = stores->jobs().list_runs_with_status(job_id, JobStatus::running, 10);
  ASSERT_TRUE(running.ok());
  ASSERT_EQ(running->size(), 1u);
  EXPECT_EQ(running->at(0).index, 1);
  EXPECT_DOUBLE_EQ(running->at(0).progress, 20);
}

}  // namespace
}  // namespace live2
