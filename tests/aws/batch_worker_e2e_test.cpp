// End to end on loopback: the BatchExecutor submits a real simulation job (and a dataset: an array job, then its
// combine job) to the fake Batch, which runs the real live2-sim worker with S3_BUCKET set and the S3 endpoint pointed
// at s3rver; the worker publishes its artifacts through the S3 sink, and the job completes with its artifacts listed
// and signed by the S3ArtifactStore. A dataset's child reclaimed like a Spot task is retried and resumes from its
// checkpoint.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <functional>

#include "artifacts/s3_artifact_store.h"
#include "core/dataset_plan.h"
#include "core/ids.h"
#include "core/run.h"
#include "exec/batch_executor.h"
#include "fake_batch_clients.h"
#include "fake_batch_process.h"
#include "h5_contents.h"
#include "s3_harness.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"
#include "worker/simulation_params_validator.h"
#include "worker_run_support.h"

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
    clients_.emplace(fake_->endpoint(), clock_,
                     ::live2::testing::S3Server{s3rver_.url, {"S3RVER", "S3RVER", "", std::nullopt, "t"}});
    artifacts_.emplace(clients_->s3, "live2-test", "e2e");
    stores_ = std::move(SqliteStores::open(dir_ / "live2.db", clock_).value());
  }

  // Runs the executor until the job has ended (at most two minutes) and returns it; `on_poll` sees the job at
  // every look (every 100 ms) while it runs.
  Job run_to_end(const std::string& job_id, const std::function<void(const Job&)>& on_poll = {}) {
    SqliteJobStore& store = stores_->jobs();
    BatchExecutorOptions options;
    options.s3_bucket = "live2-test";
    options.env = "e2e";
    options.cadence.interval_ms = 200;
    options.cadence.fast_interval_ms = 100;
    options.cadence.slow_interval_ms = 400;
    BatchExecutor executor(store, store, clients_->batch, clients_->logs, *artifacts_, clients_->s3, clock_, options);
    executor.start();
    Job seen;
    for (int i = 0; i < 1200; ++i) {
      seen = store.get_job(job_id).value().value();
      if (is_terminal(seen.status)) break;
      if (on_poll) on_poll(seen);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    executor.stop();
    return seen;
  }

  // Stores a generate_dataset job (queued, its runs those of `plan`) for the executor to pick up.
  Job create_dataset(const std::string& params, const DatasetPlan& plan) {
    Job dataset;
    dataset.job_id = new_job_id(clock_.now_ms(), clients_->random);
    dataset.user_id = "usr_e2e";
    dataset.job_type = std::string(kDatasetJobType);
    dataset.params_json = params;
    dataset.created_at_ms = clock_.now_ms();
    dataset.request_fingerprint = "e2e-dataset";
    dataset.runs.total = dataset.runs.queued = static_cast<int64_t>(plan.runs.size());
    const std::vector<live2::Run> runs = queued_runs(plan, dataset.job_id, clock_.now_ms());
    const Result<CreateJobOutcome> created = stores_->jobs().create_dataset(dataset, runs, JobQuota{}, clock_.now_ms());
    EXPECT_TRUE(created.ok());
    return dataset;
  }

  const aws::testing::S3rverEndpoint s3rver_ = aws::testing::s3rver_endpoint();
  ::live2::testing::TempDir dir_;
  std::optional<::live2::testing::FakeBatchProcess> fake_;
  SystemClock clock_;
  std::optional<::live2::testing::FakeBatchClients> clients_;  // S3 at s3rver
  std::optional<S3ArtifactStore> artifacts_;
  std::unique_ptr<SqliteStores> stores_;
  const worker::SimulationParamsValidator validator_{1};
};

TEST_F(BatchWorkerEndToEnd, SimulationRunsInFakeBatchAndItsArtifactsLandInS3) {
  SqliteJobStore& store = stores_->jobs();
  S3ArtifactStore& artifacts = *artifacts_;
  Job job;
  job.job_id = new_job_id(clock_.now_ms(), clients_->random);
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
  const std::string params =
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100, "steps": 200, "seed": 3, )"
      R"("analysis_interval": 50, "snapshot_interval": 100}}, "sweep": {"temperature": [300, 600]}, "replicas": 2})";
  const Result<DatasetPlan> plan = plan_dataset(boost::json::parse(params), validator_, 100);
  ASSERT_TRUE(plan.ok());
  const Job dataset = create_dataset(params, *plan);

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

// A Spot reclaim of one child of a dataset's array job: once run 1 is under way (its progress.json in S3 past step 0)
// the fake Batch interrupts that child as Spot does (SIGTERM to its worker, which publishes a checkpoint under
// runs/1/ and exits 75) and retries it as attempt 2, which resumes from that checkpoint and completes. Run 1 ends
// with exactly the files of an uninterrupted run of its params, and the dataset completes with run 1 at 2 attempts.
// Run 1 computes for about 2 s (run 0 for a tenth of that), so the test sees it under way well before its end.
TEST_F(BatchWorkerEndToEnd, ASpotReclaimedRunResumesFromItsCheckpointAndEndsAsIfUninterrupted) {
  constexpr int64_t kSteps = 30000;
  const std::string params =
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 400, "seed": 5, )"
      R"("analysis_interval": 250, "snapshot_interval": 5000}}, "sweep": {"steps": [3000, 30000]}})";
  const Result<DatasetPlan> plan = plan_dataset(boost::json::parse(params), validator_, 100);
  ASSERT_TRUE(plan.ok());
  const Job dataset = create_dataset(params, *plan);

  // Each look reads progress.json while the worker may be rewriting it; s3rver (unlike S3) can then serve part of
  // the object or stall its answer, so a look is one attempt of at most 0.5 s, and a failed one waits for the next.
  aws::CurlHttpClient probe_http(
      aws::CurlHttpClientOptions{.connect_timeout_ms = 500, .total_timeout_ms = 500, .stall_timeout_ms = 500});
  aws::AwsClient probe_aws(
      aws::testing::kS3Service, aws::AwsClientOptions{.retry = {.max_attempts = 1}, .rate_limit = {}},
      clients_->environment,
      aws::AwsContext{probe_http, clients_->s3_credentials, clock_, clients_->sleeper, clients_->random});
  aws::S3Client probe_s3(probe_aws);
  S3ArtifactStore probe(probe_s3, "live2-test", "e2e");
  int64_t interrupted_after_step = 0;
  const Job seen = run_to_end(dataset.job_id, [&](const Job& job) {
    if (interrupted_after_step > 0 || job.executor.external_id.empty()) return;
    const Result<std::string> progress = probe.read(job, run_artifact_prefix(1) + "progress.json");
    if (!progress.ok()) return;
    boost::system::error_code partial;
    const boost::json::value parsed = boost::json::parse(*progress, partial);
    if (partial) return;
    const int64_t step = parsed.at("step").to_number<int64_t>();
    if (step == 0) return;
    aws::HttpRequest interrupt;
    interrupt.method = "POST";
    interrupt.url = fake_->endpoint() + "/fake/interrupt";
    interrupt.body = boost::json::serialize(boost::json::object{
        {"jobId", aws::array_child_id(job.executor.external_id, 1)}, {"reason", "Your Spot Task was interrupted."}});
    const Result<aws::HttpResponse> answer = clients_->http.send(interrupt);
    ASSERT_TRUE(answer.ok() && answer->status == 200) << (answer.ok() ? answer->body : answer.error().message);
    interrupted_after_step = step;
  });
  ASSERT_EQ(seen.status, JobStatus::completed) << seen.error.value_or("") << " / " << seen.executor.external_status;
  ASSERT_GT(interrupted_after_step, 0) << "run 1 was never seen under way";
  EXPECT_EQ(seen.runs.completed, 2);
  const Result<std::vector<live2::Run>> runs = stores_->jobs().list_runs(dataset.job_id, 0, 10);
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ((*runs)[0].status, JobStatus::completed);
  EXPECT_EQ((*runs)[0].attempts, 1);
  EXPECT_EQ((*runs)[1].status, JobStatus::completed);
  EXPECT_EQ((*runs)[1].attempts, 2);

  // Attempt 2 resumed from the checkpoint attempt 1 published when it stopped (at or after the step it was seen at).
  const std::string prefix = run_artifact_prefix(1);
  const Result<std::string> summary_text = artifacts_->read(seen, prefix + "summary.json");
  ASSERT_TRUE(summary_text.ok());
  const boost::json::value summary = boost::json::parse(*summary_text);
  EXPECT_EQ(summary.at("attempt").to_number<int64_t>(), 2);
  const int64_t resumed_from_step = summary.at("resumed_from_step").to_number<int64_t>();
  EXPECT_GE(resumed_from_step, interrupted_after_step);
  EXPECT_LT(resumed_from_step, kSteps);
  const Result<std::string> log = artifacts_->read(seen, prefix + "simulation.log");
  ASSERT_TRUE(log.ok());
  EXPECT_NE(log->find("resuming from the checkpoint at step " + std::to_string(resumed_from_step)), std::string::npos)
      << *log;

  // The same run uninterrupted, on one thread as the children run.
  const worker::testing::TempDir scratch{"live2-e2e-uninterrupted"};
  const std::filesystem::path whole = scratch.path() / "whole";
  const worker::testing::CompletedProcess uninterrupted =
      worker::testing::run_worker_with_params_file(plan->runs[1].params_json, whole, scratch.path() / "scratch", 1);
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.stderr_text;
  for (const char* name :
       {"metrics.csv", "species_counts.csv", "reactions.json", "molecules.json", "reaction_network.json"}) {
    const Result<std::string> resumed = artifacts_->read(seen, prefix + name);
    ASSERT_TRUE(resumed.ok()) << name;
    EXPECT_EQ(*resumed, worker::testing::read_file_text(whole / name)) << name;
  }
  const Result<std::string> results = artifacts_->read(seen, prefix + "results.h5");
  ASSERT_TRUE(results.ok());
  std::ofstream(scratch.path() / "resumed.h5", std::ios::binary) << *results;
  const auto expected = worker::testing::read_all_datasets(whole / "results.h5");
  const auto actual = worker::testing::read_all_datasets(scratch.path() / "resumed.h5");
  EXPECT_GT(expected.size(), 12u);
  for (const auto& [path, contents] : expected) {
    ASSERT_TRUE(actual.contains(path)) << path;
    EXPECT_TRUE(actual.at(path) == contents) << path << " differs after the resume";
  }
  EXPECT_EQ(actual.size(), expected.size());
}

}  // namespace
}  // namespace live2
