// Retention against the real `live2 serve` (docs/storage.md, "Retention"): a store prepared with jobs that finished
// long ago, recently, or never, and their job directories. The server deletes old finished jobs' artifacts (410 with
// the reason afterwards) and older ones' records (404 saying the server deletes jobs), never a queued or running job's
// directory, and counts it all in /metrics beside the data directory's disk usage. A large backlog is deleted in
// batches while the API keeps answering reads and submissions.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>

#include "core/ids.h"
#include "ops_test_helpers.h"
#include "prometheus_format.h"
#include "store/sqlite_stores.h"

namespace live2::ops {
namespace {

namespace fs = std::filesystem;
using api::testing::error_code_of;
using api::testing::eventually;
using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::ServerOptions;
using live2::testing::ServerProcess;

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

// Jobs written straight into the store the server will open, with a job directory as a worker leaves it.
class PreparedStore {
 public:
  explicit PreparedStore(fs::path data_dir) : data_dir_(std::move(data_dir)) {
    fs::create_directories(data_dir_);
    fs::permissions(data_dir_, fs::perms::owner_all, fs::perm_options::replace);
    auto opened = SqliteStores::open(data_dir_ / "live2.db", clock_);
    if (!opened) throw std::runtime_error(opened.error().message);
    stores_ = std::move(opened).value();
  }

  // A job created `age_ms` ago that is `status` now; a finished one finished `finished_age_ms` ago.
  std::string add_job(const std::string& user, JobStatus status, int64_t age_ms, int64_t finished_age_ms = 0) {
    const int64_t now_ms = clock_.now_ms();
    Job job;
    job.job_id = new_job_id(now_ms - age_ms, random_);
    job.user_id = user;
    job.job_type = "run_simulation";
    job.status = status;
    job.params_json = R"({"simulation_config":{"mode":"open_chemistry","config":{"num_particles":100,"steps":1000}}})";
    job.created_at_ms = now_ms - age_ms;
    job.updated_at_ms = now_ms - finished_age_ms;
    job.request_fingerprint = "fingerprint-of-" + job.job_id;
    job.particle_steps = 100'000;
    if (is_terminal(status)) job.completed_at_ms = now_ms - finished_age_ms;
    auto created = stores_->jobs().create_job(job, JobQuota{}, now_ms);
    if (!created) throw std::runtime_error(created.error().message);
    const fs::path directory = job_directory(user, job.job_id);
    fs::create_directories(directory);
    std::ofstream(directory / "summary.json") << R"({"steps":1000})";
    return job.job_id;
  }

  fs::path job_directory(const std::string& user, const std::string& job_id) const {
    return data_dir_ / "artifacts" / "prod" / user / job_id;
  }
  void close() { stores_.reset(); }

 private:
  fs::path data_dir_;
  SystemClock clock_;
  OsRandomSource random_;
  std::unique_ptr<SqliteStores> stores_;
};

// The value of one sample in /metrics text (`name` with its labels, as rendered), or -1 when absent.
double metric_value(const std::string& text, const std::string& sample) {
  const size_t at = text.find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + sample.size() + 2));
}

std::string metrics_text(const ServerProcess& server, const std::string& admin_key) {
  auto response = http_get(server.url("/metrics"), bearer(admin_key));
  EXPECT_EQ(response.status, 200) << response.body;
  return "\n" + response.body;
}

ServerOptions retention_options(const live2::testing::TempDir& dir, const fs::path& data_dir,
                                std::map<std::string, std::string> env) {
  ServerOptions options = burst_server_options(dir);
  options.data_dir = data_dir;
  for (auto& [name, value] : env) options.env[name] = value;
  return options;
}

TEST(Retention, DeletesOldFinishedJobsArtifactsThenRecordsAndNeverAnUnfinishedJob) {
  live2::testing::TempDir dir("live2-retention");
  const fs::path data_dir = dir.path() / "data";
  PreparedStore store(data_dir);
  const std::string expired = store.add_job("alice", JobStatus::completed, 12 * kDayMs, 10 * kDayMs);
  const std::string ancient = store.add_job("alice", JobStatus::failed, 41 * kDayMs, 40 * kDayMs);
  const std::string recent = store.add_job("alice", JobStatus::cancelled, 6 * kDayMs, 6 * kDayMs);
  // Created long ago and never finished: the one worker slot takes the first, the second stays queued.
  const std::string running = store.add_job("alice", JobStatus::queued, 50 * kDayMs);
  const std::string queued = store.add_job("alice", JobStatus::queued, 50 * kDayMs - 1);
  store.close();

  ServerProcess server(retention_options(
      dir, data_dir, {{"LIVE2_RETENTION_DAYS", "7"}, {"LIVE2_RETENTION_RECORD_DAYS", "30"}}));
  server.start();
  const std::string key = server.create_key("alice", "research");
  const std::string admin = server.create_key("ops", "research", true);
  ASSERT_TRUE(eventually([&] { return metric_value(metrics_text(server, admin), "live2_retention_passes_total") >= 1; }))
      << server.log_text();

  const std::string metrics = metrics_text(server, admin);
  EXPECT_EQ(metric_value(metrics, R"(live2_retention_deleted_total{what="artifacts"})"), 2);
  EXPECT_EQ(metric_value(metrics, R"(live2_retention_deleted_total{what="records"})"), 1);
  EXPECT_EQ(metric_value(metrics, "live2_retention_failures_total"), 0);
  EXPECT_EQ(metric_value(metrics, R"(live2_jobs{status="completed"})"), 1) << "the record of the expired job is kept";
  EXPECT_EQ(metric_value(metrics, R"(live2_jobs{status="failed"})"), 0) << "the ancient job's record is deleted";
  EXPECT_TRUE(api::testing::prometheus_format_problems(metrics.substr(1)).empty());

  EXPECT_FALSE(fs::exists(store.job_directory("alice", expired)));
  EXPECT_FALSE(fs::exists(store.job_directory("alice", ancient)));
  EXPECT_TRUE(fs::exists(store.job_directory("alice", recent) / "summary.json"));
  EXPECT_TRUE(fs::exists(store.job_directory("alice", running) / "summary.json"));
  EXPECT_TRUE(fs::exists(store.job_directory("alice", queued) / "summary.json"));

  // What a client sees: the expired job is there, its artifacts, logs and metrics are 410 saying why.
  EXPECT_EQ(http_get(server.url("/api/v1/jobs/" + expired), bearer(key)).status, 200);
  for (const char* output : {"/artifacts", "/logs", "/metrics"}) {
    auto gone = http_get(server.url("/api/v1/jobs/" + expired + output), bearer(key));
    EXPECT_EQ(gone.status, 410) << output << ": " << gone.body;
    EXPECT_EQ(error_code_of(gone), "gone") << output;
    EXPECT_NE(gone.body.find("LIVE2_RETENTION_DAYS"), std::string::npos) << gone.body;
  }
  auto deleted = http_get(server.url("/api/v1/jobs/" + ancient), bearer(key));
  EXPECT_EQ(deleted.status, 404);
  EXPECT_NE(deleted.body.find("LIVE2_RETENTION_RECORD_DAYS"), std::string::npos) << deleted.body;
  EXPECT_EQ(http_get(server.url("/api/v1/jobs/" + recent + "/artifacts"), bearer(key)).status, 200);
  auto still_queued = http_get(server.url("/api/v1/jobs/" + queued), bearer(key));
  EXPECT_EQ(api::testing::parse_body(still_queued).at("status").as_string(), "queued");
}

TEST(Retention, TheDataDirectorysDiskUsageIsInMetrics) {
  live2::testing::TempDir dir("live2-usage");
  const fs::path data_dir = dir.path() / "data";
  PreparedStore store(data_dir);
  const std::string job = store.add_job("alice", JobStatus::completed, kDayMs, kDayMs);
  std::ofstream(store.job_directory("alice", job) / "results.bin") << std::string(1 << 20, 'x');
  store.close();

  ServerProcess server(retention_options(dir, data_dir, {}));
  server.start();
  const std::string admin = server.create_key("ops", "research", true);
  double bytes = -1;
  ASSERT_TRUE(eventually([&] {
    bytes = metric_value(metrics_text(server, admin), "live2_data_dir_bytes");
    return bytes >= 0;
  }));
  EXPECT_GE(bytes, 1 << 20) << "the 1 MiB artifact counts";
  EXPECT_LT(bytes, 64 << 20);
  const double age_s = metric_value(metrics_text(server, admin), "live2_data_dir_measured_age_seconds");
  EXPECT_GE(age_s, 0);
  EXPECT_LT(age_s, 61) << "walked at start, then at least every minute";
  EXPECT_EQ(metric_value(metrics_text(server, admin), "live2_retention_passes_total"), 0) << "retention is off";
}

// The backlog of a server that turns retention on after a long time: thousands of jobs due at once.
TEST(Retention, ALargeBacklogIsDeletedInBatchesWhileTheApiKeepsAnswering) {
  constexpr int kDueJobs = 3000;
  live2::testing::TempDir dir("live2-retention-load");
  const fs::path data_dir = dir.path() / "data";
  PreparedStore store(data_dir);
  std::string kept;
  for (int i = 0; i < kDueJobs; ++i) store.add_job("alice", JobStatus::completed, 3 * kDayMs, 2 * kDayMs);
  kept = store.add_job("alice", JobStatus::completed, kDayMs / 2, kDayMs / 2);
  store.close();

  ServerProcess server(retention_options(dir, data_dir, {{"LIVE2_RETENTION_DAYS", "1"}}));
  server.start();
  const std::string key = server.create_key("alice", "enterprise");
  const std::string admin = server.create_key("ops", "research", true);

  // Reads, submissions and scrapes while the pass runs: every one is answered, none waits long, and the deleted
  // count is seen between 0 and the whole backlog (batches commit one after another, not in one transaction).
  int answered = 0;
  int seen_midway = 0;
  double slowest_s = 0;
  double deleted = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (deleted < kDueJobs && std::chrono::steady_clock::now() < deadline) {
    const auto started = std::chrono::steady_clock::now();
    auto read = http_get(server.url("/api/v1/jobs/" + kept), bearer(key));
    auto submitted = live2::testing::http_post_json(server.url("/api/v1/jobs"), api::testing::job_body(), bearer(key));
    slowest_s = std::max(slowest_s, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    ASSERT_EQ(read.status, 200) << read.body;
    ASSERT_EQ(submitted.status, 202) << submitted.body;
    answered += 2;
    deleted = metric_value(metrics_text(server, admin), R"(live2_retention_deleted_total{what="artifacts"})");
    if (deleted > 0 && deleted < kDueJobs) ++seen_midway;
  }
  EXPECT_EQ(deleted, kDueJobs) << server.log_text();
  EXPECT_GE(seen_midway, 2) << "the pass commits in batches";
  EXPECT_GE(answered, 10);
  // A submission waits for at most one batch's transaction (a few ms) plus its own sync: a second leaves room for a
  // loaded machine. (The batches themselves are shown by the counts seen midway above.)
  EXPECT_LT(slowest_s, 1.0);
  EXPECT_TRUE(fs::exists(store.job_directory("alice", kept) / "summary.json"));
  // The pass ends (and logs) after one more, empty batch.
  EXPECT_TRUE(eventually([&] {
    return server.log_text().find(R"("event":"retention_pass","artifacts_deleted":3000,)") != std::string::npos;
  })) << "one log line for the pass";
}

}  // namespace
}  // namespace live2::ops
