// Datasets on AWS Batch: the BatchExecutor with the real BatchClient over HTTP against tests/fakes/fake_batch.py, whose
// array children run a shell worker with AWS_BATCH_JOB_ARRAY_INDEX. A 2 x 2 x 2 dataset runs as ONE array job and
// then one combine job (dataset_runs.json written first), a failed child is a failed run of a completed dataset, a
// cancel terminates the array job and no combine follows, a lost SubmitJob answer and a server restart adopt the
// array job instead of submitting a second one, and a single run is a plain job with RUN_INDEX=0.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>
#include <sstream>

#include "aws/batch_client.h"
#include "aws_test_doubles.h"
#include "core/dataset_plan.h"
#include "core/ids.h"
#include "exec/batch_executor.h"
#include "fake_batch_clients.h"
#include "fake_batch_process.h"
#include "memory_artifacts.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"
#include "worker/simulation_params_validator.h"

namespace live2 {
namespace {

namespace json = boost::json;

// Runs: index 5 fails with exit code 3; a dataset whose params hold 7777 runs for 30 s. Each run and the combine job
// (the entrypoint with the command `combine`, which becomes $0) leave a line in $MARKS.
constexpr const char* kWorker =
    R"(sh -c 'echo "run $AWS_BATCH_JOB_ARRAY_INDEX $RUN_INDEX $AWS_BATCH_JOB_ID" >> "$MARKS/$JOB_ID"; )"
    R"(case "$AWS_BATCH_JOB_ARRAY_INDEX" in 5) echo bad >&2; exit 3;; esac; )"
    R"(case "$JOB_PARAMS" in *7777*) sleep 30;; esac')";
constexpr const char* kEntrypoint = R"(sh -c 'echo "$0 $ARTIFACT_PREFIX $WORKER_THREADS" >> "$MARKS/$JOB_ID"')";

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class BatchDatasetTest : public ::testing::Test {
 protected:
  BatchDatasetTest()
      : marks_(make_marks(dir_.path())),
        fake_(dir_.path(), kWorker, {"MARKS=" + marks_.string()}, {"--entrypoint", kEntrypoint}),
        stores_(SqliteStores::open(dir_ / "live2.db", clock_).value()),
        clients_(fake_.endpoint(), clock_) {
    options_.cadence.interval_ms = 100;
    options_.cadence.fast_interval_ms = 50;
    options_.cadence.slow_interval_ms = 200;
    options_.list_settle_ms = 0;
  }

  static std::filesystem::path make_marks(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir / "marks");
    return dir / "marks";
  }

  // A dataset as the API creates it: its runs planned from `params` by the server's validator.
  Job add_dataset(const std::string& params) {
    const worker::SimulationParamsValidator validator(1);
    auto plan = plan_dataset(json::parse(params), validator, kMaxDatasetRuns);
    EXPECT_TRUE(plan.ok());
    Job job;
    job.job_id = new_job_id(clock_.now_ms(), clients_.random);
    job.user_id = "usr_1";
    job.tier = Tier::research;
    job.job_type = std::string(kDatasetJobType);
    job.params_json = params;
    job.created_at_ms = clock_.now_ms();
    job.request_fingerprint = "fingerprint-" + job.job_id;
    job.runs.total = job.runs.queued = static_cast<int64_t>(plan->runs.size());
    const std::vector<live2::Run> runs = queued_runs(*plan, job.job_id, clock_.now_ms());
    auto created = store_.create_dataset(job, runs, JobQuota{}, clock_.now_ms());
    EXPECT_TRUE(created.ok());
    return created->job;
  }

  Job job(const std::string& id) { return store_.get_job(id).value().value(); }
  live2::Run run(const std::string& id, int64_t index) { return store_.list_runs(id, index, 1).value().at(0); }

  bool wait_for(const std::string& id, JobStatus status, int seconds = 30) {
    for (int i = 0; i < seconds * 20; ++i) {
      if (job(id).status == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  json::object fake_stats() {
    Result<aws::HttpResponse> stats =
        clients_.http.send({"GET", fake_.endpoint() + "/fake/stats", {}, "", std::nullopt, 5'000});
    EXPECT_TRUE(stats.ok());
    return json::parse(stats->body).as_object();
  }

  std::vector<std::string> marks_of(const std::string& id) {
    std::vector<std::string> lines;
    std::istringstream text(read_text(marks_ / id));
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    std::sort(lines.begin(), lines.end());
    return lines;
  }

  ::live2::testing::TempDir dir_;
  std::filesystem::path marks_;
  ::live2::testing::FakeBatchProcess fake_;
  SystemClock clock_;
  std::unique_ptr<SqliteStores> stores_;
  SqliteJobStore& store_ = stores_->jobs();
  ::live2::testing::FakeBatchClients clients_;
  ::live2::testing::MemoryArtifacts artifacts_;
  BatchExecutorOptions options_;
};

constexpr const char* kGrid =
    R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100, "steps": 100}},)"
    R"( "sweep": {"temperature": [300, 600], "composition.C": [0.1, 0.2]}, "replicas": 2})";

TEST_F(BatchDatasetTest, AGridRunsAsOneArrayJobAFailedChildIsAFailedRunAndTheCombineJobEndsIt) {
  const Job dataset = add_dataset(kGrid);
  ASSERT_EQ(dataset.runs.total, 8);
  BatchExecutor executor(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, options_);
  executor.start();
  ASSERT_TRUE(wait_for(dataset.job_id, JobStatus::completed));
  executor.stop();

  const Job done = job(dataset.job_id);
  EXPECT_EQ(done.runs.completed, 7);
  EXPECT_EQ(done.runs.failed, 1);
  EXPECT_EQ(done.progress, 100);
  EXPECT_NE(done.executor.status_reason.value_or("").find("1 of 8 runs failed"), std::string::npos);
  const live2::Run failed = run(dataset.job_id, 5);
  EXPECT_EQ(failed.status, JobStatus::failed);
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_NE(failed.error.value_or("").find("exit code 3"), std::string::npos) << failed.error.value_or("");
  const live2::Run completed = run(dataset.job_id, 2);
  EXPECT_EQ(completed.status, JobStatus::completed);
  EXPECT_EQ(completed.attempts, 1);
  EXPECT_TRUE(completed.external_id.ends_with(":2")) << completed.external_id;
  EXPECT_TRUE(completed.started_at_ms && completed.completed_at_ms);

  // One array job of 8 children and one combine job: two submissions in all.
  const json::object per_name = fake_stats().at("jobs_per_name").as_object();
  EXPECT_EQ(per_name.at("live2-" + dataset.job_id).as_int64(), 1);
  EXPECT_EQ(per_name.at("live2-" + dataset.job_id + "-combine").as_int64(), 1);
  EXPECT_EQ(executor.counters().submit_calls, 2);
  // Every child found its run from its index, under the parent's id; the combine job ran `combine` on the dataset's
  // prefix with one thread.
  std::vector<std::string> expected;
  const std::string parent = run(dataset.job_id, 0).external_id.substr(0, run(dataset.job_id, 0).external_id.find(':'));
  for (int i = 0; i < 8; ++i) expected.push_back("run " + std::to_string(i) + "  " + parent + ":" + std::to_string(i));
  expected.push_back("combine test/usr_1/" + dataset.job_id + "/ 1");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(marks_of(dataset.job_id), expected);

  // dataset_runs.json was written for combine: every run's end, run 5 failed with its reason.
  const json::value runs = json::parse(artifacts_.read(done, "dataset_runs.json").value());
  ASSERT_EQ(runs.at("runs").as_array().size(), 8u);
  EXPECT_EQ(runs.at("runs").at(5).at("status"), json::value("failed"));
  EXPECT_NE(json::value_to<std::string>(runs.at("runs").at(5).at("error")).find("exit code 3"), std::string::npos);
  EXPECT_EQ(runs.at("runs").at(0), json::parse(R"({"index": 0, "status": "completed", "error": null})"));
}

TEST_F(BatchDatasetTest, CancelTerminatesTheArrayJobAndNoCombineFollows) {
  const Job dataset = add_dataset(
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100, "steps": 7777}},)"
      R"( "replicas": 3})");
  BatchExecutor executor(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, options_);
  executor.start();
  ASSERT_TRUE(wait_for(dataset.job_id, JobStatus::running));
  ASSERT_TRUE(store_.update_job(dataset.job_id, [](Job& current) {
    current.cancel_requested = true;
    return true;
  }).ok());
  executor.wake();
  ASSERT_TRUE(wait_for(dataset.job_id, JobStatus::cancelled, 20));
  executor.stop();
  const Job cancelled = job(dataset.job_id);
  EXPECT_EQ(cancelled.runs.cancelled, 3);
  EXPECT_EQ(cancelled.runs.queued + cancelled.runs.running, 0);
  const json::object per_name = fake_stats().at("jobs_per_name").as_object();
  EXPECT_FALSE(per_name.contains("live2-" + dataset.job_id + "-combine"));
  EXPECT_FALSE(artifacts_.read(cancelled, "dataset_runs.json").ok());
}

// SubmitJob ran but its answer was lost, and the server went down before it could look: the next server finds the
// array job by its name and follows it; Batch never gets a second one.
TEST_F(BatchDatasetTest, ALostSubmitAnswerAndARestartAdoptTheArrayJob) {
  const Job dataset = add_dataset(kGrid);
  Result<aws::HttpResponse> injected = clients_.http.send(
      {"POST", fake_.endpoint() + "/fake/faults", {}, R"({"faults": ["drop"]})", std::nullopt, 5'000});
  ASSERT_TRUE(injected.ok() && injected->status == 200);
  {
    BatchExecutorOptions before_crash = options_;
    before_crash.list_settle_ms = 60'000;  // it goes down before it looks
    BatchExecutor crashed(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, before_crash);
    crashed.run_cycle();
    EXPECT_EQ(job(dataset.job_id).executor.submit_state, SubmitState::submitting);
  }
  BatchExecutor restarted(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, options_);
  restarted.start();
  ASSERT_TRUE(wait_for(dataset.job_id, JobStatus::completed));
  restarted.stop();
  EXPECT_EQ(restarted.counters().list_calls, 1);
  EXPECT_EQ(job(dataset.job_id).runs.completed, 7);
  const json::object per_name = fake_stats().at("jobs_per_name").as_object();
  EXPECT_EQ(per_name.at("live2-" + dataset.job_id).as_int64(), 1);
  EXPECT_EQ(per_name.at("live2-" + dataset.job_id + "-combine").as_int64(), 1);
}

TEST_F(BatchDatasetTest, ASingleRunIsAPlainJobWithRunIndexZero) {
  const Job dataset = add_dataset(
      R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 100, "steps": 100}}})");
  ASSERT_EQ(dataset.runs.total, 1);
  BatchExecutor executor(store_, store_, clients_.batch, clients_.logs, artifacts_, clients_.s3, clock_, options_);
  executor.start();
  ASSERT_TRUE(wait_for(dataset.job_id, JobStatus::completed));
  executor.stop();
  EXPECT_EQ(job(dataset.job_id).runs.completed, 1);
  const std::string batch_id = run(dataset.job_id, 0).external_id;
  EXPECT_EQ(batch_id.find(':'), std::string::npos) << batch_id;
  const std::vector<std::string> marks = marks_of(dataset.job_id);
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[1], "run  0 " + batch_id);
}

}  // namespace
}  // namespace live2
