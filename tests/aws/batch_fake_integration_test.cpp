// The BatchExecutor with the real BatchClient over HTTP against tests/fakes/fake_batch.py (itself checked against
// the AWS CLI): jobs run as processes sized by their params, succeed, fail with an exit code, and a running one is
// terminated on cancel; under injected throttling, server errors and lost answers no job is lost and none is submitted twice.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "aws/batch_client.h"
#include "aws_test_doubles.h"
#include "core/ids.h"
#include "exec/batch_executor.h"
#include "fake_batch_clients.h"
#include "fake_batch_process.h"
#include "memory_artifacts.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

class BatchOverHttpTest : public ::testing::Test {
 protected:
  // A queue of a FARGATE_SPOT and an on-demand environment that cancels jobs RUNNABLE for lack of capacity after
  // half a second (Batch's own minimum is 600 s).
  BatchOverHttpTest()
      : fake_(dir_.path(), "sh -c 'case \"$JOB_PARAMS\" in *fail*) echo bad >&2; exit 3;; *slow*) sleep 30;; esac'", {},
              {"--compute-environments", "live2-compute-env,live2-compute-env-on-demand", "--job-state-time-limit",
               "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY=0.5"}),
        stores_(SqliteStores::open(dir_ / "live2.db", clock_).value()),
        clients_(fake_.endpoint(), clock_) {}

  std::string add_job(const std::string& params) {
    Job job;
    job.job_id = new_job_id(clock_.now_ms(), clients_.random);
    job.user_id = "usr_1";
    job.tier = Tier::research;
    job.job_type = "run_simulation";
    job.params_json = params;
    job.created_at_ms = clock_.now_ms();
    job.request_fingerprint = "fingerprint";
    EXPECT_TRUE(store_.create_job(job, {}, clock_.now_ms()).ok());
    return job.job_id;
  }

  Job job(const std::string& id) { return store_.get_job(id).value().value(); }

  // The fake's DescribeJobs answer for one job, as Batch sends it.
  boost::json::value described(const std::string& batch_job_id) {
    Result<aws::HttpResponse> answer = clients_.http.send(
        {"POST",
         fake_.endpoint() + "/v1/describejobs",
         {{"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/test"}},
         boost::json::serialize(boost::json::object{{"jobs", boost::json::array{batch_job_id.c_str()}}}),
         std::nullopt,
         5'000});
    EXPECT_TRUE(answer.ok() && answer->status == 200);
    return answer.ok() ? boost::json::parse(answer->body).at("jobs").at(0) : boost::json::value();
  }

  bool wait_for(const std::string& id, JobStatus status) {
    for (int i = 0; i < 600; ++i) {
      if (job(id).status == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  ::live2::testing::TempDir dir_;
  ::live2::testing::FakeBatchProcess fake_;
  SystemClock clock_;
  std::unique_ptr<SqliteStores> stores_;
  SqliteJobStore& store_ = stores_->jobs();
  ::live2::testing::FakeBatchClients clients_;
  ::live2::testing::MemoryArtifacts artifacts_;
};

TEST_F(BatchOverHttpTest, JobsSucceedFailAndCancelThroughTheBatchProtocol) {
  const std::string ok = add_job(R"({"mode":"ok"})");
  const std::string failing = add_job(R"({"mode":"fail"})");
  const std::string slow = add_job(R"({"mode":"slow"})");
  BatchExecutorOptions options;
  options.cadence.interval_ms = 100;
  options.cadence.fast_interval_ms = 50;
  options.cadence.slow_interval_ms = 200;
  BatchExecutor executor(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, options);
  executor.start();

  ASSERT_TRUE(wait_for(ok, JobStatus::completed));
  EXPECT_EQ(job(ok).executor.exit_code, 0);
  EXPECT_EQ(job(ok).executor.attempts, 1);
  EXPECT_EQ(job(ok).executor.external_status, "SUCCEEDED");
  EXPECT_FALSE(job(ok).executor.log_stream.empty());

  // The job's size reached Batch as containerOverrides.resourceRequirements (the default run: 0.25 vCPU, 1 GiB).
  EXPECT_EQ(job(ok).executor.vcpus, 0.25);
  EXPECT_EQ(job(ok).executor.memory_mib, 1024);
  EXPECT_EQ(described(job(ok).executor.external_id).at("container").at("resourceRequirements"),
            boost::json::parse(R"([{"type": "VCPU", "value": "0.25"}, {"type": "MEMORY", "value": "1024"}])"));
  // The cost-allocation tags reached Batch on the job, propagated to its task.
  EXPECT_EQ(described(job(ok).executor.external_id).at("tags"),
            boost::json::parse(R"({"live2:job-id": ")" + ok +
                               R"(", "live2:user-id": "usr_1", "live2:tier": "research"})"));
  EXPECT_EQ(described(job(ok).executor.external_id).at("propagateTags"), true);

  ASSERT_TRUE(wait_for(failing, JobStatus::failed));
  EXPECT_NE(job(failing).error.value().find("exit code 3"), std::string::npos) << *job(failing).error;

  ASSERT_TRUE(wait_for(slow, JobStatus::running));
  ASSERT_TRUE(store_.update_job(slow, [](Job& current) {
    current.cancel_requested = true;
    return true;
  }).ok());
  executor.wake();
  ASSERT_TRUE(wait_for(slow, JobStatus::cancelled));
  executor.stop();
  EXPECT_TRUE(executor.readiness().ok());
  EXPECT_EQ(executor.counters().submit_calls, 3);
}

// Without Spot capacity a job runs on demand, shows where and is priced so; without any it fails in plain words once
// the queue's time limit cancels it.
TEST_F(BatchOverHttpTest, OnDemandFallbackAndAJobStuckRunnablePastTheQueuesLimit) {
  BatchExecutorOptions options;
  options.cadence.interval_ms = 100;
  options.cadence.fast_interval_ms = 50;
  options.cadence.slow_interval_ms = 200;
  options.fargate_prices = FargatePrices{{0.04, 0.004}, {0.012, 0.0012}};
  BatchExecutor executor(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, options);
  const auto capacity = [&](const boost::json::object& available) {
    Result<aws::HttpResponse> set = clients_.http.send(
        {"POST", fake_.endpoint() + "/fake/capacity", {}, boost::json::serialize(available), std::nullopt, 5'000});
    ASSERT_TRUE(set.ok() && set->status == 200);
  };
  capacity({{"spot", false}});
  const std::string fallback = add_job(R"({"mode":"ok"})");
  executor.start();
  ASSERT_TRUE(wait_for(fallback, JobStatus::completed));
  EXPECT_EQ(job(fallback).executor.compute_environment, "live2-compute-env-on-demand");
  // 0.25 vCPU and 1 GB for under a minute: Fargate's minimum minute on demand, (0.25 x 0.04 + 1 x 0.004) / 60.
  EXPECT_NEAR(job(fallback).cost.value().usd.value(), 0.014 / 60, 1e-12);

  capacity({{"on_demand", false}});
  const std::string stuck = add_job(R"({"mode":"ok"})");
  executor.wake();
  ASSERT_TRUE(wait_for(stuck, JobStatus::failed));
  const std::string error = job(stuck).error.value();
  EXPECT_TRUE(error.starts_with("AWS had no Fargate capacity for this job")) << error;
  EXPECT_NE(error.find("(CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY)"), std::string::npos) << error;
  EXPECT_EQ(job(stuck).cost->vcpu_hours, 0);
  executor.stop();
}

// BatchClient's array jobs against the fake Batch: the parent's statusSummary, children by "<parent>:<index>", and a
// job that dependsOn the parent runs after it (and fails unrun after a failed one).
TEST_F(BatchOverHttpTest, ArrayJobAndAJobDependingOnIt) {
  auto submit = [&](const std::string& params, std::optional<int> size, std::vector<std::string> depends_on) {
    aws::BatchSubmitRequest request;
    request.job_name = "live2-array-test";
    request.job_queue = "live2-job-queue";
    request.job_definition = "live2-simulation";
    request.environment = {{"JOB_PARAMS", params}};
    request.array_size = size;
    request.depends_on = std::move(depends_on);
    return clients_.batch.submit_job(request).value().job_id;
  };
  auto finished = [&](const std::string& id) {
    for (int i = 0; i < 600; ++i) {
      aws::BatchJob job = clients_.batch.describe_jobs({id}).value().at(0);
      if (job.status == "SUCCEEDED" || job.status == "FAILED") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return aws::BatchJob{};
  };
  const std::string array = submit(R"({"mode":"ok"})", 3, {});
  const std::string after = submit(R"({"mode":"ok"})", std::nullopt, {array});
  const aws::BatchJob parent = finished(array);
  EXPECT_EQ(parent.status, "SUCCEEDED");
  EXPECT_EQ(parent.array_size, 3);
  EXPECT_EQ(parent.array_status_summary.at("SUCCEEDED"), 3);
  EXPECT_EQ(parent.array_status_summary.at("FAILED"), 0);
  const auto children =
      clients_.batch
          .describe_jobs({aws::array_child_id(array, 0), aws::array_child_id(array, 1), aws::array_child_id(array, 2)})
          .value();
  ASSERT_EQ(children.size(), 3u);
  for (int index = 0; index < 3; ++index) {
    EXPECT_EQ(children[index].array_index, index);
    EXPECT_EQ(children[index].exit_code, 0);
  }
  const aws::BatchJob dependent = finished(after);
  EXPECT_EQ(dependent.status, "SUCCEEDED");
  EXPECT_EQ(dependent.depends_on, std::vector<std::string>{array});
  EXPECT_GE(dependent.started_at_ms.value(), parent.stopped_at_ms.value());

  const std::string failing = submit(R"({"mode":"fail"})", 2, {});
  const std::string never = submit(R"({"mode":"ok"})", std::nullopt, {failing});
  EXPECT_EQ(finished(failing).array_status_summary.at("FAILED"), 2);
  const aws::BatchJob unrun = finished(never);
  EXPECT_EQ(unrun.status, "FAILED");
  EXPECT_EQ(unrun.status_reason, "Dependent Job failed");
  EXPECT_TRUE(unrun.attempts.empty());
}

TEST_F(BatchOverHttpTest, ThrottlingServerErrorsAndLostAnswersNeitherLoseNorDuplicateAJob) {
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) ids.push_back(add_job(R"({"mode":"ok"})"));
  // A burst of throttles longer than the client's retries, server errors (SubmitJob is not retried after one: it may
  // have run), and connections closed after the call ran (the job exists in Batch, the answer never arrives).
  const boost::json::array faults = {"throttle", "throttle", "throttle", "throttle", "throttle", "throttle",
                                     "server_error", "drop", "drop", "throttle", "server_error", "drop"};
  Result<aws::HttpResponse> injected =
      clients_.http.send({"POST",
                          fake_.endpoint() + "/fake/faults",
                          {},
                          boost::json::serialize(boost::json::object{{"faults", faults}}),
                          std::nullopt,
                          5'000});
  ASSERT_TRUE(injected.ok() && injected->status == 200);

  BatchExecutorOptions options;
  options.cadence.interval_ms = 100;
  options.cadence.fast_interval_ms = 50;
  options.cadence.slow_interval_ms = 200;
  options.list_settle_ms = 500;
  BatchExecutor executor(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, options);
  executor.start();
  for (const std::string& id : ids) EXPECT_TRUE(wait_for(id, JobStatus::completed)) << id;
  executor.stop();

  Result<aws::HttpResponse> stats =
      clients_.http.send({"GET", fake_.endpoint() + "/fake/stats", {}, "", std::nullopt, 5'000});
  ASSERT_TRUE(stats.ok());
  const boost::json::object per_name = boost::json::parse(stats->body).at("jobs_per_name").as_object();
  EXPECT_EQ(per_name.size(), ids.size());
  for (const std::string& id : ids) {
    ASSERT_TRUE(per_name.contains("live2-" + id)) << id;
    EXPECT_EQ(per_name.at("live2-" + id).as_int64(), 1) << id << " was submitted more than once";
  }
  EXPECT_GT(executor.counters().submit_calls, static_cast<int64_t>(ids.size()));
  EXPECT_LT(clients_.batch_aws.rate_limiter().rate_per_s(), aws::RateLimiterOptions{}.initial_rate_per_s);
}

}  // namespace
}  // namespace live2
