// A worker killed in the middle of an upload (a Spot task gone without its two-minute warning, an OOM kill): the
// real live2-sim publishes to s3rver through a proxy on loopback that holds back its upload of results.h5, the test
// SIGKILLs it while that request is in flight, and then checks what S3.md readers care about. The object keeps its
// earlier complete version (never a partial one), no metadata.json appears, and the next attempt resumes from the
// checkpoint the first attempt left in S3 and completes.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "aws/http_client.h"
#include "aws/s3_client.h"
#include "base/clock.h"
#include "base/hashing.h"
#include "child_process.h"
#include "fake_http_server.h"
#include "s3_harness.h"
#include "support/temp_dir.h"
#include "worker_run_support.h"

namespace live2::aws {
namespace {

using worker::testing::ChildProcess;
using worker::testing::read_file_text;

constexpr char kBucket[] = "live2-test";
const std::string kParams = worker::testing::open_chemistry_params(
    R"("num_particles": 200, "steps": 2000, "seed": 23, "analysis_interval": 250, "snapshot_interval": 500)");

// The step in a working directory's progress.json (0 before the worker wrote one).
int64_t progress_step(const std::filesystem::path& work_dir) {
  boost::system::error_code error;
  const boost::json::value progress = boost::json::parse(read_file_text(work_dir / "progress.json"), error);
  if (error || !progress.is_object() || !progress.as_object().contains("step")) return 0;
  return progress.at("step").to_number<int64_t>();
}

// Forwards every request to s3rver unchanged (the Host header too, so SigV4 signatures still hold), except the
// first PUT whose target contains `held_key`: that one is held until release() and then dropped, never forwarded.
class HoldingS3Proxy {
 public:
  HoldingS3Proxy(std::string s3rver_url, std::string held_key)
      : s3rver_url_(std::move(s3rver_url)), held_key_(std::move(held_key)),
        server_([this](const testing::FakeRequest& request) { return handle(request); }) {}
  ~HoldingS3Proxy() { release(); }

  std::string url() const { return server_.base_url(); }

  bool wait_until_holding(std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return holding_; });
  }

  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  testing::FakeResponse handle(const testing::FakeRequest& request) {
    if (request.method == "PUT" && request.target.find(held_key_) != std::string::npos) {
      std::unique_lock lock(mutex_);
      if (!held_once_) {
        held_once_ = holding_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return released_; });
        return {503, "<Error><Code>SlowDown</Code><Message>held by the test</Message></Error>", {}};
      }
    }
    HttpRequest forwarded{request.method, s3rver_url_ + request.target, {}, request.body, std::nullopt, 30'000};
    for (const auto& [name, value] : request.headers) {
      if (name != "content-length" && name != "connection") forwarded.headers.push_back({name, value});
    }
    Result<HttpResponse> answer = http_.send(forwarded);
    if (!answer.ok()) return {502, answer.error().message, {}};
    testing::FakeResponse response{answer->status, answer->body, {}};
    for (const HttpHeader& header : answer->headers) {
      if (header.name == "ETag" || header.name == "Content-Type") response.headers[header.name] = header.value;
    }
    return response;
  }

  std::string s3rver_url_;
  std::string held_key_;
  CurlHttpClient http_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_once_ = false;
  bool holding_ = false;
  bool released_ = false;
  testing::FakeHttpServer server_;  // last: its threads stop before the members they use go away
};

class WorkerKilledMidUpload : public testing::S3rverTest {
 protected:
  // The worker's environment for one attempt of this test's job, S3 at `s3_url`.
  std::map<std::string, std::string> attempt_environment(int attempt, const std::string& s3_url) const {
    return {{"S3_BUCKET", kBucket},           {"ARTIFACT_PREFIX", prefix_},
            {"JOB_ID", "job_killed_upload"},  {"USER_ID", "usr_test"},
            {"AWS_BATCH_JOB_ATTEMPT", std::to_string(attempt)},
            {"AWS_ENDPOINT_URL_S3", s3_url},  {"AWS_REGION", "us-east-1"},
            {"AWS_ACCESS_KEY_ID", "S3RVER"},  {"AWS_SECRET_ACCESS_KEY", "S3RVER"},
            {"AWS_CONFIG_FILE", "/dev/null"}, {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"}};
  }

  // Each attempt is a fresh container: its own empty working directory.
  std::vector<std::string> worker_command(int attempt) const {
    return {worker::testing::worker_binary(),
            "run",
            "--params",
            (scratch_.path() / "params.json").string(),
            "--out",
            (scratch_.path() / ("attempt" + std::to_string(attempt))).string(),
            "--threads",
            "2"};
  }

  std::optional<std::string> etag(const std::string& name) {
    Result<S3Object> head = s3_->head_object(kBucket, prefix_ + name);
    if (!head.ok()) return std::nullopt;
    return head->etag;
  }

  void SetUp() override {
    testing::S3rverTest::SetUp();
    if (IsSkipped()) return;
    prefix_ = "killed-upload/" + std::to_string(SystemClock().now_ms()) + "/";
    std::ofstream(scratch_.path() / "params.json") << kParams;
  }

  worker::testing::TempDir scratch_{"live2-killed-upload"};
  std::string prefix_;
};

TEST_F(WorkerKilledMidUpload, LeavesNoPartialObjectAndTheNextAttemptResumesFromTheS3Checkpoint) {
  const std::string s3rver_url = testing::s3rver_endpoint().url;

  // Attempt 1 is stopped with SIGTERM once it is under way, so it leaves a checkpoint and its results.h5 in S3.
  {
    ChildProcess first(worker_command(1), attempt_environment(1, s3rver_url), scratch_.path() / "out1.txt",
                       scratch_.path() / "err1.txt");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (progress_step(scratch_.path() / "attempt1") == 0) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "attempt 1 made no progress";
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    first.send_signal(SIGTERM);
    ASSERT_EQ(first.wait(60), 75) << read_file_text(scratch_.path() / "err1.txt");
  }
  const int64_t checkpoint_step = progress_step(scratch_.path() / "attempt1");
  ASSERT_GT(checkpoint_step, 0);
  const std::optional<std::string> results_before = etag("results.h5");
  const std::optional<std::string> checkpoint_before = etag("checkpoint/state.bin");
  ASSERT_TRUE(results_before && checkpoint_before);

  // Attempt 2 resumes, runs to the end and is killed while its final upload of results.h5 is in flight.
  {
    HoldingS3Proxy proxy(s3rver_url, prefix_ + "results.h5");
    ChildProcess second(worker_command(2), attempt_environment(2, proxy.url()), scratch_.path() / "out2.txt",
                        scratch_.path() / "err2.txt");
    ASSERT_TRUE(proxy.wait_until_holding(std::chrono::seconds(120)))
        << "attempt 2 never uploaded results.h5: " << read_file_text(scratch_.path() / "err2.txt");
    second.send_signal(SIGKILL);
    EXPECT_EQ(second.wait(30), 128 + SIGKILL);
  }
  EXPECT_EQ(etag("results.h5"), results_before) << "results.h5 must keep its earlier complete version";
  EXPECT_EQ(etag("checkpoint/state.bin"), checkpoint_before);
  EXPECT_FALSE(etag("metadata.json")) << "a killed attempt must not look completed";

  // Attempt 3 resumes from attempt 1's checkpoint (the only one S3 has) and completes.
  {
    ChildProcess third(worker_command(3), attempt_environment(3, s3rver_url), scratch_.path() / "out3.txt",
                       scratch_.path() / "err3.txt");
    ASSERT_EQ(third.wait(120), 0) << read_file_text(scratch_.path() / "err3.txt");
  }
  // Both later attempts resume from attempt 1's checkpoint (the only one S3 ever had); the log shows attempt 3's.
  const std::string log = *s3_->get_object(kBucket, prefix_ + "simulation.log");
  const std::string resuming = "resuming from the checkpoint at step ";
  int resumes = 0;
  for (size_t at = log.find(resuming); at != std::string::npos; at = log.find(resuming, at + 1), ++resumes) {
    EXPECT_EQ(std::stoll(log.substr(at + resuming.size())), checkpoint_step) << log;
  }
  EXPECT_GE(resumes, 1) << log;

  const std::filesystem::path local_results = scratch_.path() / "attempt3" / "results.h5";
  Result<std::string> published = s3_->get_object(kBucket, prefix_ + "results.h5");
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(sha256_hex(*published), sha256_hex(live2::testing::read_whole_file(local_results)));
  Result<std::string> metadata = s3_->get_object(kBucket, prefix_ + "metadata.json");
  ASSERT_TRUE(metadata.ok());
  EXPECT_NE(metadata->find("\"completed\""), std::string::npos) << *metadata;
  EXPECT_NE(metadata->find(sha256_hex(*published)), std::string::npos) << "metadata must describe the final results.h5";
}

}  // namespace
}  // namespace live2::aws
