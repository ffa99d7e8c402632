// End to end on loopback: the BatchExecutor submits a real simulation job (and a dataset: an array job, then its
// combine job) to the fake Batch, which runs the real live2-sim worker with S3_BUCKET set and the S3 endpoint pointed
// at s3rver; the worker publishes its artifacts through the S3 sink, and the job completes with its artifacts listed
// and signed by the S3ArtifactStore.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "artifacts/s3_artifact_store.h"
#include "aws/batch_client.h"
#include "aws/logs_client.h"
#include "core/dataset_plan.h"
#include "core/ids.h"
#include "core/run.h"
#include "exec/batch_executor.h"
#include "fake_batch_process.h"
#include "s3_harness.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"
#include "worker/simulation_params_validator.h"

namespace live2 {
namespace {

// The fake Batch runs `live2-sim run` (the image's default command) or, for a job with a command override, the
// `live2-sim` entrypoint with it (`combine`); the worker's S3 endpoint is s3rver.
class BatchWorkerEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!s3rver_.unavailable_reason.empty()) GTEST_SKIP() << s3rver_.unavailable_reason;
    fake_.emplace(dir_.path(), std::string(LIVE2_SIM_BINARY) + " run --out {workdir} --threads 1",
                  std::vector<std::string>{"AWS_ENDPOINT_URL_S3=" + s3rver_.url, "AWS_ACCESS_KEY_ID=S3RVER",
                                           "AWS_SECRET_ACCESS_KEY=S3RVER", "AWS_REGION=us-east-1",
                                           "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"},
                  std::vector<std::string>{"--entrypoint", LIVE2_SIM_BINARY});
    environment_ = {{"AWS_ENDPOINT_URL_BATCH", fake_->endpoint()},
                    {"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", fake_->endpoint()},
                    {"AWS_ENDPOINT_URL_S3", s3rver_.url}};
    batch_aws_.emplace(aws::ServiceDescription{"Batch", "batch", "batch", false},
                       aws::AwsClientOptions{"us-east-1", {}, {}}, environment_,
                       aws::AwsContext{http_, batch_credentials_, clock_, sleeper_, random_});
    logs_aws_.emplace(aws::ServiceDescription{"CloudWatch Logs", "logs", "logs", false},
                      aws::AwsClientOptions{"us-east-1", {}, {}}, environment_,
                      aws::AwsContext{http_, batch_credentials_, clock_, sleeper_, random_});
    s3_aws_.emplace(aws::testing::kS3Service, aws::AwsClientOptions{"us-east-1", {}, {}}, environment_,
                    aws::AwsContext{http_, s3_credentials_, clock_, sleeper_, random_});
    batch_.emplace(*batch_aws_);
    logs_.emplace(*logs_aws_);
    s3_.emplace(*s3_aws_);
    artifacts_.emplace(*s3_, "live2-test", "e2e");
    stores_ = std::move(SqliteStores::open(dir_ / "live2.db", clock_).value());
  }

  // Runs the executor until the job has ended (at most two minutes) and returns it.
  Job run_to_end(const std::string& job_id) {
    SqliteJobStore& store = stores_->jobs();
    BatchExecutorOptions options;
    options.s3_bucket = "live2-test";
    options.env = "e2e";
    options.cadence.interval_ms = 200;
    options.cadence.fast_interval_ms = 100;
    options.cadence.slow_interval_ms = 400;
    BatchExecutor executor(store, store, *batch_, *logs_, *artifacts_, *s3_, clock_, options);
    executor.start();
    Job seen;
    for (int i = 0; i < 1200; ++i) {
      seen = store.get_job(job_id).value().value();
      if (is_terminal(seen.status)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    executor.stop();
    return seen;
  }

  const aws::testing::S3rverEndpoint s3rver_ = aws::testing::s3rver_endpoint();
  ::live2::testing::TempDir dir_;
  std::optional<::live2::testing::FakeBatchProcess> fake_;
  SystemClock clock_;
  OsRandomSource random_;
  aws::CurlHttpClient http_;
  aws::ThreadSleeper sleeper_;
  aws::StaticCredentialsProvider batch_credentials_{aws::AwsCredentials{"AKIDTEST", "secret", "", std::nullopt, "t"}};
  aws::StaticCredentialsProvider s3_credentials_{aws::AwsCredentials{"S3RVER", "S3RVER", "", std::nullopt, "t"}};
  Environment environment_;
  std::optional<aws::AwsClient> batch_aws_;
  std::optional<aws::AwsClient> logs_aws_;
  std::optional<aws::AwsClient> s3_aws_;
  std::optional<aws::BatchClient> batch_;
  std::optional<aws::LogsClient> logs_;
  std::optional<aws::S3Client> s3_;
  std::optional<S3ArtifactStore> artifacts_;
  std::unique_ptr<SqliteStores> stores_;
};

TEST_F(BatchWorkerEndToEnd, SimulationRunsInFakeBatchAndItsArtifactsLandInS3) {
  SqliteJobStore& store = stores_->jobs();
  S3ArtifactStore& artifacts = *artifacts_;
  Job job;
  job.job_id = new_job_id(clock_.now_ms(), random_);
  job.user_id = "usr_e2e";
  job.job_type = "run_simulation";
  job.params_json = R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 200, )"
                    R"("steps": 400, "seed": 7, "analysis_interval": 50, "snapshot_interval": 100}}})";
  job.created_at_ms = clock_.now_ms();
  job.request_fingerprint = "e2e";
  ASSERT_TRUE(store.create_job(job, {}, clock_.now_ms()).ok());

  const Job seen = run_to_end(job.job_id);
  ASSERT_EQ(seen.status, JobStatus::completed) << seen.error.value_or("") << " / " << seen.executor.external_status;
  EXPECT_EQ(seen.executor.exit_code, 0);
  EXPECT_DOUBLE_EQ(seen.progress, 100);

  Result<ArtifactListing> listing = artifacts.list(seen, 600);
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  std::set<std::string> names;
  for (const Artifact& artifact : listing->artifacts) names.insert(artifact.name);
  for (const char* expected : {"metadata.json", "results.h5", "progress.json"}) {
    EXPECT_TRUE(names.contains(expected)) << expected;
  }
  Result<std::string> metadata = artifacts.read(seen, "metadata.json");
  ASSERT_TRUE(metadata.ok());
  EXPECT_NE(metadata->find(job.job_id), std::string::npos);
}

// A dataset of 2 x 2 runs as one array job whose children are the real worker (each finds its run from
// AWS_BATCH_JOB_ARRAY_INDEX and publishes under runs/<index>/), then the real `live2-sim combine` as the combine job:
// the dataset's combined files land in S3 beside its runs'.
TEST_F(BatchWorkerEndToEnd, ADatasetRunsAsAnArrayOfRealWorkersAndIsCombined) {
  SqliteJobStore& store = stores_->jobs();
  const std::string params =
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100, "steps": 200, "seed": 3, )"
      R"("analysis_interval": 50, "snapshot_interval": 100}}, "sweep": {"temperature": [300, 600]}, "replicas": 2})";
  const worker::SimulationParamsValidator validator(1);
  Result<DatasetPlan> plan = plan_dataset(boost::json::parse(params), validator, 100);
  ASSERT_TRUE(plan.ok());
  Job dataset;
  dataset.job_id = new_job_id(clock_.now_ms(), random_);
  dataset.user_id = "usr_e2e";
  dataset.job_type = std::string(kDatasetJobType);
  dataset.params_json = params;
  dataset.created_at_ms = clock_.now_ms();
  dataset.request_fingerprint = "e2e-dataset";
  dataset.runs.total = dataset.runs.queued = static_cast<int64_t>(plan->runs.size());
  std::vector<live2::Run> runs;
  for (const PlannedRun& planned : plan->runs) {
    live2::Run run;
    run.job_id = dataset.job_id;
    run.index = planned.index;
    run.params_json = planned.params_json;
    run.sweep_json = planned.sweep_json;
    run.seed = planned.seed;
    runs.push_back(std::move(run));
  }
  ASSERT_TRUE(store.create_dataset(dataset, runs, JobQuota{}, clock_.now_ms()).ok());

  const Job seen = run_to_end(dataset.job_id);
  ASSERT_EQ(seen.status, JobStatus::completed) << seen.error.value_or("") << " / " << seen.executor.external_status;
  EXPECT_EQ(seen.runs.completed, 4);
  for (int64_t index = 0; index < 4; ++index) {
    Result<std::string> metadata = artifacts_->read(seen, run_artifact_prefix(index) + "metadata.json");
    ASSERT_TRUE(metadata.ok()) << index;
    EXPECT_EQ(boost::json::parse(*metadata).at("job_id"), boost::json::value(run_key(dataset.job_id, index)));
    Result<std::string> summary = artifacts_->read(seen, run_artifact_prefix(index) + "summary.json");
    ASSERT_TRUE(summary.ok()) << index;
    EXPECT_EQ(boost::json::parse(*summary).at("seed").to_number<uint64_t>(), plan->runs[index].seed);
  }
  Result<std::string> combined = artifacts_->read(seen, "dataset_summary.json");
  ASSERT_TRUE(combined.ok());
  EXPECT_EQ(boost::json::parse(*combined).at("runs").at("completed"), boost::json::value(4));
  EXPECT_TRUE(artifacts_->read(seen, "dataset.csv").ok());
  EXPECT_TRUE(artifacts_->read(seen, "metadata.json").ok());
  EXPECT_TRUE(artifacts_->read(seen, "dataset_runs.json").ok());
}

}  // namespace
}  // namespace live2
