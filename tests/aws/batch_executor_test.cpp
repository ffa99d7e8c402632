// BatchExecutor cycles driven by hand against an in-memory Batch (FakeBatchApi) and a real SQLite job store:
// submission fields, never-twice submission across lost answers and crashes, DescribeJobs batching, status
// mapping, cancels, the RUNNABLE reason dwell, Spot reclaims, progress, Batch's own times and jobs Batch has forgotten.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <map>

#include "aws_test_doubles.h"
#include "memory_artifacts.h"
#include "core/ids.h"
#include "exec/batch_executor.h"
#include "exec/batch_status.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

using aws::BatchJob;
using aws::testing::service_error;

class FakeBatchApi final : public aws::BatchApi {
 public:
  std::map<std::string, BatchJob> jobs;  // by Batch id
  std::vector<aws::BatchSubmitRequest> submitted;
  std::vector<size_t> describe_sizes;
  std::vector<std::pair<std::string, std::string>> cancels;  // (operation, id)
  std::optional<Error> next_submit_error;
  bool submit_error_after_creating = false;

  Result<aws::BatchSubmitted> submit_job(const aws::BatchSubmitRequest& request) override {
    if (next_submit_error && !submit_error_after_creating) return *std::exchange(next_submit_error, std::nullopt);
    submitted.push_back(request);
    const std::string id = "batch-" + std::to_string(jobs.size() + 1);
    jobs[id] = BatchJob{id, "arn:" + id, request.job_name, "SUBMITTED", "", static_cast<int64_t>(jobs.size()), {}, {}, "",
                        std::nullopt, std::nullopt};
    if (next_submit_error) return *std::exchange(next_submit_error, std::nullopt);
    return aws::BatchSubmitted{id, "arn:" + id};
  }
  Result<std::vector<BatchJob>> describe_jobs(const std::vector<std::string>& ids) override {
    describe_sizes.push_back(ids.size());
    std::vector<BatchJob> found;
    for (const std::string& id : ids) {
      if (jobs.contains(id)) found.push_back(jobs[id]);
    }
    return found;
  }
  Result<std::vector<aws::BatchJobSummary>> list_jobs_by_name(const std::string&, const std::string& name) override {
    std::vector<aws::BatchJobSummary> found;
    for (const auto& [id, job] : jobs) {
      if (job.job_name == name) found.push_back({id, job.job_name, job.status, job.created_at_ms});
    }
    return found;
  }
  Status cancel_job(const std::string& id, const std::string&) override {
    cancels.emplace_back("cancel", id);
    return Status::success();
  }
  Status terminate_job(const std::string& id, const std::string&) override {
    cancels.emplace_back("terminate", id);
    return Status::success();
  }
  BatchJob& by_name(const std::string& name) {
    for (auto& [id, job] : jobs) {
      if (job.job_name == name) return job;
    }
    throw std::logic_error("no Batch job " + name);
  }
};

class NoLogs final : public aws::LogsApi {
 public:
  Result<std::vector<std::string>> tail_log_events(const std::string&, const std::string& stream, int) override {
    return std::vector<std::string>{"log of " + stream};
  }
};

class BatchExecutorTest : public ::testing::Test {
 protected:
  BatchExecutorTest()
      : stores_(SqliteStores::open(dir_ / "live2.db", clock_).value()),
        sleeper_(clock_),
        s3_aws_(aws::testing::kS3Service, {}, {{"AWS_ENDPOINT_URL", "http://127.0.0.1:1"}},
                {http_, credentials_, clock_, sleeper_, random_}),
        s3_(s3_aws_) {}

  BatchExecutor& executor(BatchExecutorOptions options = {}) {
    options.env = "test";
    executor_.emplace(store_, store_, batch_, logs_, artifacts_, s3_, clock_, options);
    return *executor_;
  }

  std::string add_job(const std::string& params = R"({"mode":"demo"})", std::optional<Tier> tier = std::nullopt) {
    Job job;
    job.tier = tier;
    job.job_id = new_job_id(clock_.now_ms(), ids_);
    job.user_id = "usr_1";
    job.job_type = "run_simulation";
    job.params_json = params;
    job.created_at_ms = clock_.now_ms();
    job.request_fingerprint = "fingerprint";
    EXPECT_TRUE(store_.create_job(job, {}, clock_.now_ms()).ok());
    clock_.advance_ms(1);
    return job.job_id;
  }

  Job job(const std::string& id) { return store_.get_job(id).value().value(); }

  ::live2::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<SqliteStores> stores_;
  SqliteJobStore& store_ = stores_->jobs();
  FakeBatchApi batch_;
  NoLogs logs_;
  testing::MemoryArtifacts artifacts_;
  aws::CurlHttpClient http_;
  aws::StaticCredentialsProvider credentials_{aws::AwsCredentials{"AKID", "secret", "", std::nullopt, "test"}};
  aws::testing::RecordingSleeper sleeper_;
  aws::testing::FixedRandomSource random_;
  OsRandomSource ids_;
  aws::AwsClient s3_aws_;
  aws::S3Client s3_;
  std::optional<BatchExecutor> executor_;
};

TEST_F(BatchExecutorTest, SubmitsWithNameEnvironmentAndTagsAndRecordsTheBatchId) {
  const std::string id = add_job();
  BatchExecutor& executor = this->executor();
  EXPECT_TRUE(executor.run_cycle());
  ASSERT_EQ(batch_.submitted.size(), 1u);
  const aws::BatchSubmitRequest& request = batch_.submitted[0];
  EXPECT_EQ(request.job_name, "live2-" + id);
  EXPECT_EQ(request.job_queue, "live2-job-queue");
  EXPECT_EQ(request.job_definition, "live2-simulation");
  const std::map<std::string, std::string> environment(request.environment.begin(), request.environment.end());
  EXPECT_EQ(environment.at("JOB_ID"), id);
  EXPECT_EQ(environment.at("USER_ID"), "usr_1");
  EXPECT_EQ(environment.at("JOB_PARAMS"), R"({"mode":"demo"})");
  EXPECT_EQ(environment.at("S3_BUCKET"), "live2-artifacts");
  EXPECT_EQ(environment.at("ENV"), "test");
  EXPECT_EQ(environment.at("ARTIFACT_PREFIX"), "test/usr_1/" + id + "/");
  EXPECT_EQ(request.tags.at("live2:job-id"), id);
  EXPECT_EQ(request.tags.at("live2:user-id"), "usr_1");
  EXPECT_EQ(request.tags.at("live2:tier"), "unknown");  // a job accepted before tiers were kept
  EXPECT_TRUE(request.propagate_tags);
  const Job stored = job(id);
  EXPECT_EQ(stored.executor.kind, "aws_batch");
  EXPECT_EQ(stored.executor.submit_state, SubmitState::submitted);
  EXPECT_EQ(stored.executor.external_id, "batch-1");
  executor.run_cycle();
  EXPECT_EQ(batch_.submitted.size(), 1u);  // never twice
}

TEST_F(BatchExecutorTest, JobsAreSizedFromTheirParamsUnderTheirTiersCeilingAndTaggedWithTheTier) {
  const std::string big =
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100000, "steps": 1000000}}})";
  const std::string research = add_job(big, Tier::research);
  const std::string pro = add_job(big, Tier::pro);
  const std::string small = add_job(R"({"simulation_config": {"mode": "open_chemistry"}})", Tier::enterprise);
  BatchExecutorOptions options;
  options.fargate_ceilings[Tier::pro] = {2, 8192};  // as LIVE2_TIER_PRO_MAX_VCPUS=2, _MAX_MEMORY_MIB=8192 would
  executor(options).run_cycle();
  ASSERT_EQ(batch_.submitted.size(), 3u);
  std::map<std::string, const aws::BatchSubmitRequest*> by_name;
  for (const aws::BatchSubmitRequest& request : batch_.submitted) by_name[request.job_name] = &request;
  // batch_job_size_test.cpp has the arithmetic: the run wants 8 vCPUs; research stops it at 4, pro here at 2.
  const struct {
    std::string id, tier;
    aws::FargateSize size;
    std::string threads;
  } expected[] = {{research, "research", {4, 8192}, "4"}, {pro, "pro", {2, 4096}, "2"},
                  {small, "enterprise", {0.25, 1024}, "1"}};
  for (const auto& want : expected) {
    const aws::BatchSubmitRequest& request = *by_name.at("live2-" + want.id);
    EXPECT_EQ(request.resources, want.size) << want.tier;
    const std::map<std::string, std::string> environment(request.environment.begin(), request.environment.end());
    EXPECT_EQ(environment.at("WORKER_THREADS"), want.threads) << want.tier;
    EXPECT_EQ(request.tags.at("live2:tier"), want.tier);
    EXPECT_EQ(job(want.id).executor.vcpus, want.size.vcpus);
    EXPECT_EQ(job(want.id).executor.memory_mib, want.size.memory_mib);
  }
}

TEST_F(BatchExecutorTest, LostSubmitAnswerIsFoundByNameAndNotSubmittedAgain) {
  const std::string id = add_job();
  batch_.next_submit_error = Error::make(ErrorCode::network_error, "connection reset");
  batch_.submit_error_after_creating = true;
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitting);
  executor.run_cycle();  // too early to trust ListJobs
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitting);
  clock_.advance_ms(31'000);
  executor.run_cycle();
  EXPECT_EQ(batch_.submitted.size(), 1u);
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitted);
  EXPECT_EQ(job(id).executor.external_id, "batch-1");
}

TEST_F(BatchExecutorTest, SubmittingJobWithoutBatchJobIsSubmittedOnceAfterACrash) {
  const std::string id = add_job();
  ASSERT_TRUE(store_.update_job(id, [](Job& current) {
    current.executor.kind = "aws_batch";
    current.executor.submit_state = SubmitState::submitting;
    return true;
  }).ok());
  clock_.advance_ms(31'000);
  BatchExecutor& executor = this->executor();
  executor.run_cycle();  // recovery: Batch has none -> back to not_submitted
  executor.run_cycle();  // submitted
  executor.run_cycle();
  EXPECT_EQ(batch_.submitted.size(), 1u);
  EXPECT_EQ(job(id).executor.submit_state, SubmitState::submitted);
}

TEST_F(BatchExecutorTest, ThrottledSubmitWaitsForTheNextCycleAndARefusedOneFails) {
  const std::string throttled = add_job();
  batch_.next_submit_error = service_error("TooManyRequestsException", "Too Many Requests", 429);
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  EXPECT_EQ(job(throttled).executor.submit_state, SubmitState::not_submitted);
  EXPECT_EQ(job(throttled).status, JobStatus::queued);
  EXPECT_FALSE(executor.readiness().ok());
  executor.run_cycle();
  EXPECT_EQ(job(throttled).executor.submit_state, SubmitState::submitted);
  EXPECT_TRUE(executor.readiness().ok());

  const std::string refused = add_job();
  batch_.next_submit_error = service_error("ClientException", "Job queue live2-job-queue does not exist.", 400);
  executor.run_cycle();
  EXPECT_EQ(job(refused).status, JobStatus::failed);
  EXPECT_EQ(job(refused).error.value(),
            "AWS Batch refused the job: ClientException: Job queue live2-job-queue does not exist.");
  EXPECT_EQ(batch_.submitted.size(), 1u);
}

TEST_F(BatchExecutorTest, OversizedParamsGoToS3InsteadOfTheEnvironment) {
  add_job("{\"pad\":\"" + std::string(30 * 1024, 'x') + "\"}");
  BatchExecutor& executor = this->executor();
  executor.run_cycle();  // the S3 endpoint does not answer: nothing is submitted, the job waits
  EXPECT_TRUE(batch_.submitted.empty());
  EXPECT_FALSE(executor.readiness().ok());
}

TEST_F(BatchExecutorTest, DescribesAtMostAHundredIdsPerCall) {
  for (int i = 0; i < 250; ++i) add_job();
  BatchExecutorOptions options;
  options.max_submits_per_cycle = 1000;
  BatchExecutor& executor = this->executor(options);
  executor.run_cycle();
  batch_.describe_sizes.clear();
  executor.run_cycle();
  EXPECT_EQ(batch_.describe_sizes, (std::vector<size_t>{100, 100, 50}));
}

TEST_F(BatchExecutorTest, MapsBatchStatusesOntoTheJob) {
  const std::string ok = add_job();
  const std::string bad = add_job();
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  BatchJob& ok_batch = batch_.by_name("live2-" + ok);
  BatchJob& bad_batch = batch_.by_name("live2-" + bad);
  ok_batch.status = "STARTING";
  executor.run_cycle();
  EXPECT_EQ(job(ok).status, JobStatus::queued);
  EXPECT_EQ(job(ok).executor.external_status, "STARTING");
  EXPECT_EQ(job(ok).executor.attempts, 1);
  ok_batch.status = "RUNNING";
  ok_batch.log_stream = "live2-simulation/default/abc";
  artifacts_.objects["test/usr_1/" + ok + "/progress.json"] = R"({"step":250,"steps":1000,"eta_seconds":30})";
  executor.run_cycle();
  EXPECT_EQ(job(ok).status, JobStatus::running);
  EXPECT_DOUBLE_EQ(job(ok).progress, 25);
  EXPECT_EQ(job(ok).eta_seconds, 30);
  EXPECT_EQ(job(ok).executor.log_stream, "live2-simulation/default/abc");
  EXPECT_EQ(*executor.read_log_tail(job(ok), 10), "log of live2-simulation/default/abc\n");
  ok_batch.status = "SUCCEEDED";
  ok_batch.exit_code = 0;
  ok_batch.attempts = {{0, "", "Essential container in task exited", "s"}};
  bad_batch.status = "FAILED";
  bad_batch.status_reason = "Essential container in task exited";
  bad_batch.exit_code = 64;
  executor.run_cycle();
  EXPECT_EQ(job(ok).status, JobStatus::completed);
  EXPECT_EQ(job(ok).executor.exit_code, 0);
  EXPECT_EQ(job(bad).status, JobStatus::failed);
  EXPECT_EQ(job(bad).error.value(), "AWS Batch job failed: Essential container in task exited (exit code 64)");
}

TEST_F(BatchExecutorTest, CancelsWaitingJobsAndTerminatesRunningOnes) {
  const std::string waiting = add_job();
  const std::string running = add_job();
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  batch_.by_name("live2-" + running).status = "RUNNING";
  executor.run_cycle();
  for (const std::string& id : {waiting, running}) {
    ASSERT_TRUE(store_.update_job(id, [](Job& current) {
      current.cancel_requested = true;
      return true;
    }).ok());
  }
  executor.run_cycle();
  executor.run_cycle();  // not sent twice within the resend interval
  EXPECT_EQ(batch_.cancels, (std::vector<std::pair<std::string, std::string>>{
                                {"cancel", job(waiting).executor.external_id},
                                {"terminate", job(running).executor.external_id}}));
  batch_.by_name("live2-" + waiting).status = "FAILED";
  batch_.by_name("live2-" + running).status = "FAILED";
  executor.run_cycle();
  EXPECT_EQ(job(waiting).status, JobStatus::cancelled);
  EXPECT_EQ(job(running).status, JobStatus::cancelled);
}

TEST_F(BatchExecutorTest, RunnableReasonShowsOnlyAfterTheDwellTime) {
  const std::string id = add_job();
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  BatchJob& batch_job = batch_.by_name("live2-" + id);
  batch_job.status = "RUNNABLE";
  batch_job.status_reason = "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The vCPU and memory do not fit";
  executor.run_cycle();
  EXPECT_FALSE(job(id).executor.status_reason.has_value());
  clock_.advance_ms(4 * 60'000);
  executor.run_cycle();
  EXPECT_FALSE(job(id).executor.status_reason.has_value());
  clock_.advance_ms(61'000);
  executor.run_cycle();
  EXPECT_EQ(job(id).executor.status_reason, batch_job.status_reason);
  EXPECT_EQ(job(id).status, JobStatus::queued);
}

TEST_F(BatchExecutorTest, SpotReclaimShowsAttemptsAndTheReason) {
  const std::string id = add_job();
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  BatchJob& batch_job = batch_.by_name("live2-" + id);
  batch_job.status = "RUNNING";
  executor.run_cycle();
  batch_job.attempts = {{std::nullopt, "", "Your Spot Task was interrupted.", "s1"}};
  batch_job.status = "RUNNABLE";
  executor.run_cycle();
  EXPECT_EQ(job(id).executor.attempts, 1);
  EXPECT_NE(job(id).executor.status_reason.value().find("Your Spot Task was interrupted."), std::string::npos);
  batch_job.status = "RUNNING";
  executor.run_cycle();
  EXPECT_EQ(job(id).executor.attempts, 2);
  EXPECT_EQ(job(id).status, JobStatus::running);
}

TEST(ParseBatchJob, ReadsStartedAtAndStoppedAt) {
  const BatchJob parsed = aws::parse_batch_job(
      boost::json::parse(R"({"jobId":"j","status":"SUCCEEDED","createdAt":1000,"startedAt":2000,"stoppedAt":3000})")
          .as_object());
  EXPECT_EQ(parsed.started_at_ms, 2000);
  EXPECT_EQ(parsed.stopped_at_ms, 3000);
  const BatchJob waiting = aws::parse_batch_job(boost::json::parse(R"({"jobId":"j","status":"RUNNABLE"})").as_object());
  EXPECT_FALSE(waiting.started_at_ms);
  EXPECT_FALSE(waiting.stopped_at_ms);
}

// The job's started_at and completed_at are Batch's startedAt and stoppedAt, not the moments a cycle noticed them.
TEST_F(BatchExecutorTest, RecordsBatchStartedAtAndStoppedAtOnTheJob) {
  const std::string id = add_job();
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  BatchJob& batch_job = batch_.by_name("live2-" + id);
  const int64_t started_ms = clock_.now_ms() + 1'000;
  batch_job.status = "RUNNING";
  batch_job.started_at_ms = started_ms;
  clock_.advance_ms(25'000);  // the cycle that sees it comes later
  executor.run_cycle();
  EXPECT_EQ(job(id).started_at_ms, started_ms);
  batch_job.status = "SUCCEEDED";
  batch_job.exit_code = 0;
  batch_job.stopped_at_ms = started_ms + 60'000;
  clock_.advance_ms(90'000);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::completed);
  EXPECT_EQ(job(id).started_at_ms, started_ms);
  EXPECT_EQ(job(id).completed_at_ms, started_ms + 60'000);
}

// A finished job carries its Fargate cost from Batch's attempt times, and /metrics' totals add it to its tier.
TEST_F(BatchExecutorTest, FinishedJobsCarryTheirFargateCostAndTheTotalsByTier) {
  const std::string big =
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100000, "steps": 1000000}}})";
  const std::string id = add_job(big, Tier::research);       // sized 4 vCPU, 8192 MiB (batch_job_size_test.cpp)
  const std::string never_ran = add_job(big, Tier::research);
  BatchExecutorOptions options;
  options.fargate_prices = FargatePrices{{0.04, 0.004}, {0.012, 0.0012}};
  BatchExecutor& executor = this->executor(options);
  executor.run_cycle();
  BatchJob& batch_job = batch_.by_name("live2-" + id);
  // Attempt 1 reclaimed after 30 min, attempt 2 ran 1 h: 1.5 h x 4 vCPU = 6 vCPU-h, 1.5 h x 8 GB = 12 GB-h, all Spot:
  // 6 x 0.012 + 12 x 0.0012 = 0.072 + 0.0144 = 0.0864 USD.
  batch_job.status = "SUCCEEDED";
  batch_job.exit_code = 0;
  batch_job.attempts = {{std::nullopt, "", "Your Spot Task was interrupted.", "s1", 0, 1'800'000},
                        {0, "", "Essential container in task exited", "s2", 1'900'000, 5'500'000}};
  batch_.by_name("live2-" + never_ran).status = "FAILED";  // cancelled while RUNNABLE: no attempt, no cost
  executor.run_cycle();
  const JobCost cost = job(id).cost.value();
  EXPECT_DOUBLE_EQ(cost.vcpu_hours, 6);
  EXPECT_DOUBLE_EQ(cost.gb_hours, 12);
  EXPECT_NEAR(cost.usd.value(), 0.0864, 1e-12);
  EXPECT_EQ(job(never_ran).cost->vcpu_hours, 0);
  const ExecutorActivity::CostTotals totals = executor.activity().cost_by_tier.at("research");
  EXPECT_DOUBLE_EQ(totals.vcpu_hours, 6);
  EXPECT_NEAR(totals.usd, 0.0864, 1e-12);
  executor.run_cycle();  // counted once, not again on every cycle
  EXPECT_NEAR(executor.activity().cost_by_tier.at("research").usd, 0.0864, 1e-12);
  EXPECT_EQ(executor.activity().cost_by_tier.size(), 1u);
}

TEST(BatchStatus, TheComputeEnvironmentOfATaskIsNamedByItsBatchCluster) {
  EXPECT_EQ(compute_environment_of_task("arn:aws:ecs:eu-central-1:123456789012:task/"
                                        "AWSBatch-live2-compute-env-on-demand-3f8e0c17-7bb5-3c36-a94c-1e8de8f0a3b2/"
                                        "0123456789abcdef0123456789abcdef"),
            "live2-compute-env-on-demand");
  EXPECT_EQ(compute_environment_of_task("arn:aws:ecs:us-east-1:123456789012:task/my-cluster/0123"), "my-cluster");
  EXPECT_EQ(compute_environment_of_task("arn:aws:ecs:us-east-1:123456789012:task/0123456789abcdef"), "");
  EXPECT_EQ(compute_environment_of_task(""), "");
}

TEST_F(BatchExecutorTest, JobsCancelledWhileStuckRunnableFailInPlainWords) {
  const std::string no_capacity = add_job();
  const std::string too_big = add_job();
  const std::string other = add_job();
  BatchExecutor& executor = this->executor();
  executor.run_cycle();
  for (const auto& [id, reason] : {std::pair{no_capacity, "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"},
                                   std::pair{too_big, "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE"},
                                   std::pair{other, "Essential container in task exited"}}) {
    batch_.by_name("live2-" + id).status = "FAILED";
    batch_.by_name("live2-" + id).status_reason = reason;
  }
  executor.run_cycle();
  EXPECT_EQ(job(no_capacity).error.value(),
            "AWS had no Fargate capacity for this job for longer than the queue waits, so the queue cancelled it. "
            "Submit it again later; the operator can add on-demand capacity (`live2 infra apply "
            "--on-demand-fallback`) (CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY)");
  EXPECT_TRUE(job(too_big).error.value().starts_with("The job needs more vCPUs than the compute environment"));
  EXPECT_EQ(job(other).error.value(), "AWS Batch job failed: Essential container in task exited");
}

TEST_F(BatchExecutorTest, TheJobShowsWhereItRanLinksItsLogAndPricesOnDemandAttemptsOnDemand) {
  const std::string id = add_job();  // sized 0.25 vCPU, 1024 MiB
  BatchExecutorOptions options;
  options.region = "eu-central-1";
  options.fargate_prices = FargatePrices{{0.04, 0.004}, {0.012, 0.0012}};
  BatchExecutor& executor = this->executor(options);
  executor.run_cycle();
  BatchJob& batch_job = batch_.by_name("live2-" + id);
  const std::string on_demand_task = "arn:aws:ecs:eu-central-1:123456789012:task/"
                                     "AWSBatch-live2-compute-env-on-demand-3f8e0c17-7bb5-3c36-a94c-1e8de8f0a3b2/0123";
  batch_job.status = "RUNNING";
  batch_job.task_arn = on_demand_task;
  batch_job.log_stream = "live2-simulation/default/abc";
  executor.run_cycle();
  EXPECT_EQ(job(id).executor.compute_environment, "live2-compute-env-on-demand");
  EXPECT_EQ(job(id).executor.log_url,
            "https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#logsV2:log-groups/"
            "log-group/$252Faws$252Fbatch$252Fjob/log-events/live2-simulation$252Fdefault$252Fabc");
  // One hour on demand: 0.25 vCPU-h x 0.04 + 1 GB-h x 0.004 = 0.014 USD (Spot would be 0.0042).
  batch_job.status = "SUCCEEDED";
  batch_job.exit_code = 0;
  aws::BatchAttempt attempt;
  attempt.task_arn = on_demand_task;
  attempt.started_at_ms = 0;
  attempt.stopped_at_ms = 3'600'000;
  batch_job.attempts = {attempt};
  executor.run_cycle();
  EXPECT_NEAR(job(id).cost.value().usd.value(), 0.014, 1e-12);
}

// DescribeJobs forgets jobs (about 7 days after they end) and answers nothing for an unknown id: the worker's own
// outcome decides once the job has been missing for the grace time.
TEST_F(BatchExecutorTest, JobThatDescribeJobsNoLongerReturnsIsResolvedFromItsMetadata) {
  const std::string done = add_job();
  const std::string lost = add_job();
  BatchExecutorOptions options;
  options.missing_job_grace_ms = 600'000;
  BatchExecutor& executor = this->executor(options);
  executor.run_cycle();
  for (const std::string& id : {done, lost}) {
    batch_.by_name("live2-" + id).status = "RUNNING";
  }
  executor.run_cycle();
  batch_.jobs.clear();
  artifacts_.objects["test/usr_1/" + done + "/metadata.json"] = R"({"status":"completed"})";
  executor.run_cycle();
  EXPECT_EQ(job(done).status, JobStatus::running) << "missing for a moment is not gone";
  clock_.advance_ms(599'000);
  executor.run_cycle();
  EXPECT_EQ(job(lost).status, JobStatus::running);
  clock_.advance_ms(1'000);
  executor.run_cycle();
  EXPECT_EQ(job(done).status, JobStatus::completed);
  EXPECT_NE(job(done).executor.status_reason.value().find("metadata.json says it completed"), std::string::npos);
  EXPECT_EQ(job(lost).status, JobStatus::failed);
  EXPECT_NE(job(lost).error.value().find("AWS Batch no longer knows job"), std::string::npos);
  EXPECT_NE(job(lost).error.value().find("no metadata.json"), std::string::npos);
}

TEST_F(BatchExecutorTest, JobMissingForAMomentAndBackIsNotResolved) {
  const std::string id = add_job();
  BatchExecutorOptions options;
  options.missing_job_grace_ms = 600'000;
  BatchExecutor& executor = this->executor(options);
  executor.run_cycle();
  BatchJob& batch_job = batch_.by_name("live2-" + id);
  batch_job.status = "RUNNING";
  const BatchJob kept = batch_job;
  batch_.jobs.erase(kept.job_id);
  executor.run_cycle();
  batch_.jobs[kept.job_id] = kept;
  clock_.advance_ms(500'000);
  executor.run_cycle();
  batch_.jobs.erase(kept.job_id);
  clock_.advance_ms(500'000);
  executor.run_cycle();
  EXPECT_EQ(job(id).status, JobStatus::running) << "the grace time starts again after the job was seen";
}

TEST_F(BatchExecutorTest, CountsDescribeCallsPerCycleForAThousandActiveJobs) {
  for (int i = 0; i < 1000; ++i) add_job();
  BatchExecutorOptions options;
  options.max_submits_per_cycle = 1000;
  BatchExecutor& executor = this->executor(options);
  executor.run_cycle();
  const int64_t before = executor.counters().describe_calls;
  executor.run_cycle();
  EXPECT_EQ(executor.counters().describe_calls - before, 10);
}

}  // namespace
}  // namespace live2
