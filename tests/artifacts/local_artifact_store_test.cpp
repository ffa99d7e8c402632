#include "artifacts/local_artifact_store.h"

#include <gtest/gtest.h>

#include <boost/url/parse.hpp>
#include <fstream>

#include "support/temp_dir.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

struct SignedQuery {
  std::string key;
  int64_t expires = 0;
  std::string signature;
};

// Splits a signed URL back into what the download route receives.
SignedQuery parse_signed_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  EXPECT_TRUE(parsed.has_value()) << url;
  SignedQuery query;
  std::string path = parsed->path();
  EXPECT_TRUE(path.starts_with("/files/")) << url;
  query.key = path.substr(std::string("/files/").size());
  for (const auto& param : parsed->params()) {
    if (param.key == "expires") query.expires = std::stoll(param.value);
    if (param.key == "signature") query.signature = param.value;
  }
  return query;
}

class LocalArtifactStoreTest : public ::testing::Test {
 protected:
  LocalArtifactStoreTest() : store_(temp_ / "artifacts", "test", "http://127.0.0.1:9/", "secret-1", clock_) {
    job_.job_id = "job_0000000000000000000000001";
    job_.user_id = "user_1";
  }

  fs::path job_dir() const { return store_.job_directory(job_); }

  testing::TempDir temp_;
  FakeClock clock_{1'800'000'000'000};
  LocalArtifactStore store_;
  Job job_;
};

TEST_F(LocalArtifactStoreTest, JobDirectoryAndPrefixFollowTheKeyLayout) {
  EXPECT_EQ(store_.prefix_for(job_), "test/user_1/job_0000000000000000000000001/");
  EXPECT_EQ(job_dir(), temp_ / "artifacts" / "test" / "user_1" / "job_0000000000000000000000001");
}

TEST_F(LocalArtifactStoreTest, DownloadOriginIsThePublicUrls) {
  EXPECT_EQ(store_.download_origin(), "http://127.0.0.1:9");
}

TEST_F(LocalArtifactStoreTest, WriteReplacesTheArtifactWholeAndReadsBack) {
  ASSERT_TRUE(store_.write(job_, "dataset_runs.json", R"({"runs":[]})").ok());
  EXPECT_EQ(store_.read(job_, "dataset_runs.json").value(), R"({"runs":[]})");
  ASSERT_TRUE(store_.write(job_, "runs/3/note.txt", "second").ok());
  ASSERT_TRUE(store_.write(job_, "runs/3/note.txt", "third").ok());
  EXPECT_EQ(store_.read(job_, "runs/3/note.txt").value(), "third");
  EXPECT_FALSE(fs::exists(job_dir() / "runs/3/note.txt.tmp"));
  EXPECT_EQ(store_.write(job_, "../escape.json", "{}").error().code, ErrorCode::bad_request);
  EXPECT_FALSE(fs::exists(job_dir().parent_path() / "escape.json"));
}

TEST_F(LocalArtifactStoreTest, ListOfAJobWithoutFilesIsEmpty) {
  auto listing = store_.list(job_, 3600);
  ASSERT_TRUE(listing.ok());
  EXPECT_TRUE(listing->artifacts.empty());
}

std::vector<std::string> names_of(const Result<ArtifactListing>& listing) {
  EXPECT_TRUE(listing.ok()) << listing.error().message;
  std::vector<std::string> names;
  if (listing.ok()) {
    for (const Artifact& artifact : listing->artifacts) names.push_back(artifact.name);
  }
  return names;
}

TEST_F(LocalArtifactStoreTest, ADatasetListsItsOwnFilesAndEachRunIsListedByItsFolder) {
  job_.job_type = "generate_dataset";
  write_file(job_dir() / "dataset.csv", "run_index\n0\n");
  write_file(job_dir() / "runs" / "0" / "summary.json", "{}");
  write_file(job_dir() / "runs" / "0" / "checkpoint" / "state.bin", "state");
  write_file(job_dir() / "runs" / "1" / "summary.json", "{}");
  EXPECT_EQ(names_of(store_.list(job_, 3600)), std::vector<std::string>{"dataset.csv"});
  EXPECT_EQ(names_of(store_.list(job_, ArtifactScope{"runs/0/"}, 3600)),
            (std::vector<std::string>{"runs/0/checkpoint/state.bin", "runs/0/summary.json"}));
  EXPECT_TRUE(names_of(store_.list(job_, ArtifactScope{"runs/7/"}, 3600)).empty());
  // A folder reached through a symlink out of the job's directory is not listed.
  write_file(temp_ / "elsewhere" / "secret.txt", "secret");
  fs::create_symlink(temp_ / "elsewhere", job_dir() / "runs" / "2");
  EXPECT_TRUE(names_of(store_.list(job_, ArtifactScope{"runs/2/"}, 3600)).empty());
}

TEST(ArtifactScopeTest, APrefixIsARelativeFolderOfSafeParts) {
  ASSERT_TRUE(scope_under("runs/3/").ok());
  EXPECT_EQ(scope_under("runs/3/")->under, "runs/3/");
  EXPECT_TRUE(scope_under("runs/3/")->whole_tree);
  for (const std::string& bad :
       std::vector<std::string>{"", "runs/3", "/runs/3/", "runs//", "../", "runs/../3/", "./", "a\\b/", "a\nb/",
                                std::string(kMaxArtifactPrefixBytes, 'a') + "/"}) {
    const Result<ArtifactScope> scope = scope_under(bad);
    ASSERT_FALSE(scope.ok()) << bad;
    EXPECT_EQ(scope.error().code, ErrorCode::bad_request) << bad;
  }
}

TEST_F(LocalArtifactStoreTest, ListsNestedFilesSortedAndSkipsTempHiddenAndSymlinks) {
  write_file(job_dir() / "summary.json", "{}");
  write_file(job_dir() / "results.h5", std::string(1000, 'x'));
  write_file(job_dir() / "checkpoint" / "state.bin", "state");
  write_file(job_dir() / "metrics.csv.tmp", "half written");
  write_file(job_dir() / ".lock", "");
  write_file(job_dir() / ".hidden" / "inner.txt", "");
  write_file(temp_ / "outside.txt", "secret");
  fs::create_symlink(temp_ / "outside.txt", job_dir() / "link.txt");

  auto listing = store_.list(job_, 600);
  ASSERT_TRUE(listing.ok()) << listing.error().message;
  ASSERT_EQ(listing->artifacts.size(), 3u);
  EXPECT_EQ(listing->artifacts[0].name, "checkpoint/state.bin");
  EXPECT_EQ(listing->artifacts[1].name, "results.h5");
  EXPECT_EQ(listing->artifacts[2].name, "summary.json");
  const Artifact& results = listing->artifacts[1];
  EXPECT_EQ(results.key, "test/user_1/job_0000000000000000000000001/results.h5");
  EXPECT_EQ(results.size, 1000);
  EXPECT_EQ(results.content_type, "application/x-hdf5");
  EXPECT_GT(results.last_modified_ms, 0);
  EXPECT_EQ(listing->expires_in_s, 600);
  EXPECT_TRUE(results.url.starts_with("http://127.0.0.1:9/files/test/user_1/job_0000000000000000000000001/"
                                      "results.h5?expires=1800000600&signature="))
      << results.url;
}

TEST_F(LocalArtifactStoreTest, ExpiryIsClampedToTheAllowedRange) {
  EXPECT_EQ(store_.list(job_, 1)->expires_in_s, kMinUrlExpirySeconds);
  EXPECT_EQ(store_.list(job_, 100 * 24 * 3600)->expires_in_s, kMaxUrlExpirySeconds);
}

TEST_F(LocalArtifactStoreTest, SignedUrlResolvesToTheFile) {
  write_file(job_dir() / "checkpoint" / "state.bin", "state");
  auto listing = store_.list(job_, 3600);
  ASSERT_EQ(listing->artifacts.size(), 1u);
  const SignedQuery query = parse_signed_url(listing->artifacts[0].url);
  EXPECT_EQ(query.key, listing->artifacts[0].key);

  auto resolved = store_.resolve_download(query.key, query.expires, query.signature);
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  EXPECT_TRUE(fs::equivalent(*resolved, job_dir() / "checkpoint" / "state.bin"));
}

TEST_F(LocalArtifactStoreTest, ExpiredUrlIsRefused) {
  write_file(job_dir() / "summary.json", "{}");
  const SignedQuery query = parse_signed_url(store_.list(job_, 60)->artifacts.at(0).url);
  clock_.advance_ms(60'000);
  EXPECT_TRUE(store_.resolve_download(query.key, query.expires, query.signature).ok());
  clock_.advance_ms(1'000);
  auto resolved = store_.resolve_download(query.key, query.expires, query.signature);
  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code, ErrorCode::unauthorized);
}

TEST_F(LocalArtifactStoreTest, TamperedUrlIsRefused) {
  write_file(job_dir() / "summary.json", "{}");
  write_file(job_dir() / "results.h5", "data");
  const SignedQuery query = parse_signed_url(store_.list(job_, 60)->artifacts.at(1).url);

  std::string flipped = query.signature;
  flipped[0] = flipped[0] == '0' ? '1' : '0';
  EXPECT_EQ(store_.resolve_download(query.key, query.expires, flipped).error().code, ErrorCode::unauthorized);
  EXPECT_EQ(store_.resolve_download(query.key, query.expires + 3600, query.signature).error().code,
            ErrorCode::unauthorized);
  const std::string other_key = store_.prefix_for(job_) + "results.h5";
  EXPECT_EQ(store_.resolve_download(other_key, query.expires, query.signature).error().code, ErrorCode::unauthorized);
  EXPECT_EQ(store_.resolve_download(query.key, query.expires, "").error().code, ErrorCode::unauthorized);

  LocalArtifactStore other_secret(temp_ / "artifacts", "test", "http://x", "secret-2", clock_);
  EXPECT_FALSE(other_secret.resolve_download(query.key, query.expires, query.signature).ok());
}

TEST_F(LocalArtifactStoreTest, TraversalIsRefusedEvenWhenSigned) {
  write_file(temp_ / "outside.txt", "secret");
  const int64_t expires = 1'800'000'000 + 60;
  for (const std::string key : {"../outside.txt", "test/../../outside.txt", "/etc/passwd", "test//x", "./x"}) {
    const SignedQuery query = parse_signed_url(store_.signed_url(key, expires));
    auto resolved = store_.resolve_download(key, expires, query.signature);
    ASSERT_FALSE(resolved.ok()) << key;
    EXPECT_EQ(resolved.error().code, ErrorCode::bad_request) << key;
  }
}

TEST_F(LocalArtifactStoreTest, SymlinkLeavingTheRootIsNotServed) {
  write_file(temp_ / "outside.txt", "secret");
  fs::create_directories(job_dir());
  fs::create_symlink(temp_ / "outside.txt", job_dir() / "escape.txt");
  fs::create_directory_symlink(temp_.path(), job_dir() / "escape_dir");
  const int64_t expires = 1'800'000'000 + 60;
  for (const std::string name : {"escape.txt", "escape_dir/outside.txt"}) {
    const std::string key = store_.prefix_for(job_) + name;
    const SignedQuery query = parse_signed_url(store_.signed_url(key, expires));
    auto resolved = store_.resolve_download(key, expires, query.signature);
    ASSERT_FALSE(resolved.ok()) << name;
    EXPECT_EQ(resolved.error().code, ErrorCode::not_found) << name;
    EXPECT_EQ(store_.read(job_, name).error().code, ErrorCode::not_found) << name;
  }
}

TEST_F(LocalArtifactStoreTest, SymlinkIntoAnotherJobsDirectoryIsNotServed) {
  // Inside the root, but outside the job's own directory: another user's job (a shared filesystem where a node
  // could plant links), or the job directory itself replaced by a link.
  Job other = job_;
  other.user_id = "someone_else";
  other.job_id = "job_other";
  const fs::path other_dir = store_.job_directory(other);
  write_file(other_dir / "results.h5", "their results");
  fs::create_directories(job_dir());
  fs::create_symlink(other_dir / "results.h5", job_dir() / "results.h5");
  fs::create_directory_symlink(other_dir, job_dir() / "checkpoint");
  Job linked = job_;
  linked.job_id = "job_linked";
  fs::create_directory_symlink(other_dir, store_.job_directory(linked));
  const int64_t expires = 1'800'000'000 + 60;
  for (const auto& [job, name] : std::vector<std::pair<Job, std::string>>{
           {job_, "results.h5"}, {job_, "checkpoint/results.h5"}, {linked, "results.h5"}}) {
    const std::string key = store_.prefix_for(job) + name;
    const SignedQuery query = parse_signed_url(store_.signed_url(key, expires));
    auto resolved = store_.resolve_download(key, expires, query.signature);
    ASSERT_FALSE(resolved.ok()) << key;
    EXPECT_EQ(resolved.error().code, ErrorCode::not_found) << key;
    EXPECT_EQ(store_.read(job, name).error().code, ErrorCode::not_found) << key;
  }
  EXPECT_EQ(store_.read(other, "results.h5").value(), "their results");
}

TEST_F(LocalArtifactStoreTest, ReadReturnsSmallFilesAndRefusesLargeOnes) {
  write_file(job_dir() / "progress.json", R"({"step": 5})");
  EXPECT_EQ(store_.read(job_, "progress.json").value(), R"({"step": 5})");
  EXPECT_EQ(store_.read(job_, "missing.json").error().code, ErrorCode::not_found);
  EXPECT_EQ(store_.read(job_, "../job_other/progress.json").error().code, ErrorCode::bad_request);

  write_file(job_dir() / "results.h5", std::string(LocalArtifactStore::kMaxReadBytes + 1, 'x'));
  EXPECT_EQ(store_.read(job_, "results.h5").error().code, ErrorCode::payload_too_large);
}

TEST_F(LocalArtifactStoreTest, ReadinessCreatesTheRoot) {
  EXPECT_FALSE(fs::exists(temp_ / "artifacts"));
  EXPECT_TRUE(store_.readiness().ok());
  EXPECT_TRUE(fs::is_directory(temp_ / "artifacts"));
}

}  // namespace
}  // namespace live2
