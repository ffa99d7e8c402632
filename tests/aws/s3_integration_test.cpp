// S3Client, the worker's S3ArtifactSink and S3ArtifactStore against s3rver, an independent S3 implementation
// (npm), on loopback. s3rver parses but does not verify SigV4 signatures; signatures are checked byte for byte by
// sigv4_test.cpp against AWS's own suite.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>
#include <set>
#include <thread>

#include "artifacts/s3_artifact_store.h"
#include "base/hashing.h"
#include "s3_harness.h"
#include "worker/s3_artifact_sink.h"

namespace live2::aws {
namespace {

namespace fs = std::filesystem;
using testing::S3rverTest;

class ScratchDir {
 public:
  ScratchDir() : path_(fs::temp_directory_path() / ("live2-s3-test-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~ScratchDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

fs::path write_random_file(const fs::path& path, size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string data(size, '\0');
  for (char& c : data) c = static_cast<char>(generator());
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

std::string file_content(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

std::string curl_get(const std::string& url) {
  std::string output;
  FILE* pipe = ::popen(("curl -sf '" + url + "'").c_str(), "r");
  char buffer[4096];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, read);
  return ::pclose(pipe) == 0 ? output : "curl failed";
}

// The response headers of a GET of `url`, names lower-cased.
std::string curl_headers(const std::string& url) {
  std::string output;
  FILE* pipe = ::popen(("curl -sf -o /dev/null -D - '" + url + "'").c_str(), "r");
  char buffer[4096];
  size_t read;
  while ((read = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, read);
  std::transform(output.begin(), output.end(), output.begin(), [](unsigned char c) { return std::tolower(c); });
  return ::pclose(pipe) == 0 ? output : "curl failed";
}

TEST_F(S3rverTest, PutGetHeadDeleteRoundTrip) {
  const std::string key = test_prefix() + "dir/with space & ünïcode.json";
  ASSERT_TRUE(s3_->put_object(kBucket, key, R"({"ok":true})", "application/json").ok());
  Result<std::string> body = s3_->get_object(kBucket, key);
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_EQ(*body, R"({"ok":true})");
  Result<S3Object> head = s3_->head_object(kBucket, key);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 11);
  ASSERT_TRUE(s3_->delete_object(kBucket, key).ok());
  Result<std::string> gone = s3_->get_object(kBucket, key);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().provider_code, "NoSuchKey");
  EXPECT_TRUE(is_s3_not_found(s3_->head_object(kBucket, key).error()));
}

TEST_F(S3rverTest, MissingBucketKeepsS3sErrorCode) {
  Result<std::string> body = s3_->get_object("no-such-bucket-live2", "k");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().provider_code, "NoSuchBucket");
  EXPECT_EQ(body.error().http_status, 404);
}

TEST_F(S3rverTest, ListsEveryPageOfMoreThanAThousandKeys) {
  const std::string prefix = test_prefix();
  constexpr int kKeys = 1003;
  std::vector<std::thread> writers;
  for (int writer = 0; writer < 4; ++writer) {
    writers.emplace_back([&, writer] {
      for (int i = writer; i < kKeys; i += 4) {
        char name[16];
        std::snprintf(name, sizeof name, "k%04d", i);
        ASSERT_TRUE(s3_->put_object(kBucket, prefix + name, "x", "text/plain").ok());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();

  Result<std::vector<S3Object>> all = s3_->list_objects(kBucket, prefix);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), static_cast<size_t>(kKeys));  // 1000 + a second page
  const size_t requests_before = http_.seen().size();
  Result<std::vector<S3Object>> paged = s3_->list_objects(kBucket, prefix, "", 100);
  ASSERT_TRUE(paged.ok());
  EXPECT_EQ(http_.seen().size() - requests_before, 11u);
  std::set<std::string> keys;
  for (const S3Object& object : *paged) keys.insert(object.key);
  EXPECT_EQ(keys.size(), static_cast<size_t>(kKeys));
  EXPECT_EQ(*keys.begin(), prefix + "k0000");
  EXPECT_EQ(*keys.rbegin(), prefix + "k1002");
}

TEST_F(S3rverTest, SinkUploadsLargeFilesAsParallelMultipart) {
  ScratchDir scratch;
  const fs::path file = write_random_file(scratch.path() / "results.h5", 13 * 1024 * 1024 + 17, 7);
  worker::S3ArtifactSink sink(*s3_, kBucket, test_prefix(), {6 << 20, 5 << 20, 3});
  ASSERT_TRUE(sink.publish("results.h5", file, true).ok());
  const std::vector<std::string> seen = http_.seen();
  EXPECT_EQ(std::count_if(seen.begin(), seen.end(), [](const std::string& line) {
              return line.starts_with("PUT") && line.find("partNumber=") != std::string::npos;
            }),
            3);
  ASSERT_TRUE(sink.fetch("results.h5", scratch.path() / "back.h5"));
  EXPECT_EQ(sha256_hex(file_content(scratch.path() / "back.h5")), sha256_hex(file_content(file)));
}

TEST_F(S3rverTest, FailedPartAbortsTheUploadAndLeavesNoObject) {
  ScratchDir scratch;
  const fs::path file = write_random_file(scratch.path() / "results.h5", 11 * 1024 * 1024, 9);
  http_.fail_when = [](const HttpRequest& request) { return request.url.find("partNumber=2") != std::string::npos; };
  worker::S3ArtifactSink sink(*s3_, kBucket, test_prefix(), {6 << 20, 5 << 20, 2});
  const worker::OutputStatus published = sink.publish("results.h5", file, true);
  ASSERT_FALSE(published.ok());
  EXPECT_NE(published.message().find("part 2"), std::string::npos) << published.message();
  const std::vector<std::string> seen = http_.seen();
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(), [](const std::string& line) {
    return line.starts_with("DELETE") && line.find("uploadId=") != std::string::npos;
  }));
  EXPECT_TRUE(is_s3_not_found(s3_->head_object(kBucket, test_prefix() + "results.h5").error()));
  EXPECT_FALSE(sink.fetch("results.h5", scratch.path() / "never.h5"));
  EXPECT_FALSE(fs::exists(scratch.path() / "never.h5"));
}

TEST_F(S3rverTest, SinkPutsSmallFilesAndFetchesThemBack) {
  ScratchDir scratch;
  std::ofstream(scratch.path() / "progress.json") << R"({"progress":42})";
  worker::S3ArtifactSink sink(*s3_, kBucket, test_prefix());
  ASSERT_TRUE(sink.publish("progress.json", scratch.path() / "progress.json", false).ok());
  EXPECT_EQ(*s3_->get_object(kBucket, test_prefix() + "progress.json"), R"({"progress":42})");
  ASSERT_TRUE(sink.fetch("progress.json", scratch.path() / "resumed.json"));
  EXPECT_EQ(file_content(scratch.path() / "resumed.json"), R"({"progress":42})");
}

TEST_F(S3rverTest, SinkFetchesIntoADirectoryAFreshContainerDoesNotHaveYet) {
  ScratchDir scratch;
  std::ofstream(scratch.path() / "state.bin") << "checkpoint bytes";
  worker::S3ArtifactSink sink(*s3_, kBucket, test_prefix());
  ASSERT_TRUE(sink.publish("checkpoint/state.bin", scratch.path() / "state.bin", false).ok());
  const fs::path fresh_work_dir = scratch.path() / "attempt2";
  ASSERT_TRUE(sink.fetch("checkpoint/state.bin", fresh_work_dir / "checkpoint" / "state.bin"));
  EXPECT_EQ(file_content(fresh_work_dir / "checkpoint" / "state.bin"), "checkpoint bytes");
}

TEST_F(S3rverTest, PresignedGetWorksWithCurl) {
  const std::string key = test_prefix() + "final image.png";
  ASSERT_TRUE(s3_->put_object(kBucket, key, "PNG bytes", "image/png").ok());
  Result<PresignedUrl> url = s3_->presign_get(kBucket, key, 300);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->expires_in_s, 300);
  EXPECT_EQ(curl_get(url->url), "PNG bytes");
}

TEST_F(S3rverTest, ArtifactUrlsAnswerWithTheirContentDispositionAndNoCache) {
  S3ArtifactStore store(*s3_, kBucket, "test-env");
  Job job;
  job.user_id = "usr_1";
  job.job_id = test_prefix().substr(0, test_prefix().size() - 1);
  const std::string prefix = store.prefix_for(job);
  ASSERT_TRUE(s3_->put_object(kBucket, prefix + "final.png", "PNG bytes", content_type_for("final.png")).ok());
  ASSERT_TRUE(s3_->put_object(kBucket, prefix + "report.html", "<script>1</script>", content_type_for("report.html")).ok());
  Result<ArtifactListing> listing = store.list(job, 300);
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  ASSERT_EQ(listing->artifacts.size(), 2u);
  const std::string image = curl_headers(listing->artifacts[0].url);
  EXPECT_NE(image.find("content-disposition: inline"), std::string::npos) << image;
  EXPECT_NE(image.find("cache-control: private, no-cache"), std::string::npos) << image;
  const std::string report = curl_headers(listing->artifacts[1].url);
  EXPECT_NE(report.find("content-disposition: attachment"), std::string::npos) << report;
  EXPECT_NE(report.find("content-type: text/html"), std::string::npos) << report;
  EXPECT_NE(report.find("cache-control: private, no-cache"), std::string::npos) << report;
}

TEST_F(S3rverTest, ArtifactStoreListsSignsAndReads) {
  S3ArtifactStore store(*s3_, kBucket, "test-env");
  Job job;
  job.user_id = "usr_1";
  job.job_id = test_prefix().substr(0, test_prefix().size() - 1);
  const std::string prefix = store.prefix_for(job);
  EXPECT_EQ(prefix, "test-env/usr_1/" + job.job_id + "/");
  ASSERT_TRUE(s3_->put_object(kBucket, prefix + "metrics.csv", "step,energy\n", "text/csv").ok());
  ASSERT_TRUE(s3_->put_object(kBucket, prefix + "checkpoint/state.bin", "state", "application/octet-stream").ok());
  Result<ArtifactListing> listing = store.list(job, 10);  // below the minimum: raised to 60 s
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  EXPECT_EQ(listing->expires_in_s, 60);
  ASSERT_EQ(listing->artifacts.size(), 2u);
  EXPECT_EQ(listing->artifacts[0].name, "checkpoint/state.bin");
  EXPECT_EQ(listing->artifacts[1].name, "metrics.csv");
  EXPECT_EQ(listing->artifacts[1].content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(listing->artifacts[1].size, 12);
  EXPECT_EQ(curl_get(listing->artifacts[1].url), "step,energy\n");
  EXPECT_EQ(*store.read(job, "metrics.csv"), "step,energy\n");
  EXPECT_EQ(store.read(job, "missing.json").error().code, ErrorCode::not_found);
  EXPECT_TRUE(store.readiness().ok());
  S3ArtifactStore missing(*s3_, "no-such-bucket-live2", "test-env");
  EXPECT_EQ(missing.readiness().error().code, ErrorCode::unavailable);

  // A dataset lists its own files in one delimited listing; a run's files are listed by their folder.
  job.job_type = "generate_dataset";
  ASSERT_TRUE(s3_->put_object(kBucket, prefix + "runs/0/summary.json", "{}", "application/json").ok());
  ASSERT_TRUE(s3_->put_object(kBucket, prefix + "runs/0/checkpoint/state.bin", "s", "application/octet-stream").ok());
  Result<ArtifactListing> own = store.list(job, 60);
  ASSERT_TRUE(own.ok()) << own.error().message;
  ASSERT_EQ(own->artifacts.size(), 1u);
  EXPECT_EQ(own->artifacts[0].name, "metrics.csv");
  Result<ArtifactListing> run = store.list(job, ArtifactScope{"runs/0/"}, 60);
  ASSERT_TRUE(run.ok()) << run.error().message;
  ASSERT_EQ(run->artifacts.size(), 2u);
  EXPECT_EQ(run->artifacts[0].name, "runs/0/checkpoint/state.bin");
  EXPECT_EQ(run->artifacts[1].name, "runs/0/summary.json");
}

}  // namespace
}  // namespace live2::aws
