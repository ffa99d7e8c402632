// End to end on loopback: the BatchExecutor submits a real simulation job to the fake Batch, which runs the real
// live2-sim worker with S3_BUCKET set and the S3 endpoint pointed at s3rver; the worker publishes its artifacts
// through the S3 sink, and the job completes with its artifacts listed and signed by the S3ArtifactStore.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "artifacts/s3_artifact_store.h"
#include "aws/batch_client.h"
#include "aws/logs_client.h"
#include "core/ids.h"
#include "exec/batch_executor.h"
#include "fake_batch_process.h"
#include "s3_harness.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

TEST(BatchWorkerEndToEnd, SimulationRunsInFakeBatchAndItsArtifactsLandInS3) {
  const aws::testing::S3rverEndpoint s3rver = aws::testing::s3rver_endpoint();
  if (!s3rver.unavailable_reason.empty()) GTEST_SKIP() << s3rver.unavailable_reason;
  ::live2::testing::TempDir dir;
  ::live2::testing::FakeBatchProcess fake(
      dir.path(), std::string(LIVE2_SIM_BINARY) + " run --out {workdir} --threads 1",
      {"AWS_ENDPOINT_URL_S3=" + s3rver.url, "AWS_ACCESS_KEY_ID=S3RVER", "AWS_SECRET_ACCESS_KEY=S3RVER",
       "AWS_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"});

  SystemClock clock;
  OsRandomSource random;
  aws::CurlHttpClient http;
  aws::ThreadSleeper sleeper;
  aws::StaticCredentialsProvider batch_credentials(aws::AwsCredentials{"AKIDTEST", "secret", "", std::nullopt, "t"});
  aws::StaticCredentialsProvider s3_credentials(aws::AwsCredentials{"S3RVER", "S3RVER", "", std::nullopt, "t"});
  const Environment environment{{"AWS_ENDPOINT_URL_BATCH", fake.endpoint()},
                                {"AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", fake.endpoint()},
                                {"AWS_ENDPOINT_URL_S3", s3rver.url}};
  aws::AwsClient batch_aws({"Batch", "batch", "batch", false}, {"us-east-1", {}, {}}, environment,
                           {http, batch_credentials, clock, sleeper, random});
  aws::AwsClient logs_aws({"CloudWatch Logs", "logs", "logs", false}, {"us-east-1", {}, {}}, environment,
                          {http, batch_credentials, clock, sleeper, random});
  aws::AwsClient s3_aws(aws::testing::kS3Service, {"us-east-1", {}, {}}, environment,
                        {http, s3_credentials, clock, sleeper, random});
  aws::BatchClient batch(batch_aws);
  aws::LogsClient logs(logs_aws);
  aws::S3Client s3(s3_aws);
  S3ArtifactStore artifacts(s3, "live2-test", "e2e");
  auto stores = SqliteStores::open(dir / "live2.db", clock);
  ASSERT_TRUE(stores.ok());
  SqliteJobStore& store = (*stores)->jobs();

  Job job;
  job.job_id = new_job_id(clock.now_ms(), random);
  job.user_id = "usr_e2e";
  job.job_type = "run_simulation";
  job.params_json = R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 200, )"
                    R"("steps": 400, "seed": 7, "analysis_interval": 50, "snapshot_interval": 100}}})";
  job.created_at_ms = clock.now_ms();
  job.request_fingerprint = "e2e";
  ASSERT_TRUE(store.create_job(job, {}, clock.now_ms()).ok());

  BatchExecutorOptions options;
  options.s3_bucket = "live2-test";
  options.env = "e2e";
  options.cadence.interval_ms = 200;
  options.cadence.fast_interval_ms = 100;
  options.cadence.slow_interval_ms = 400;
  BatchExecutor executor(store, store, batch, logs, artifacts, s3, clock, options);
  executor.start();
  Job seen;
  for (int i = 0; i < 1200; ++i) {
    seen = store.get_job(job.job_id).value().value();
    if (is_terminal(seen.status)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  executor.stop();
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

}  // namespace
}  // namespace live2
