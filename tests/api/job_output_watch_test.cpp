// JobOutputWatch and the output events of JobEventStream: one reader per watched job however many streams watch
// it, at most every 2 s (a FakeClock moved by hand; the watch's loop is not started, its pass is run by the test),
// and what a stream sends of the metrics table (only the rows it has not sent) and of the artifact listing.
#include "api/job_output_watch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <vector>

#include "api/job_event_stream.h"
#include "core/ids.h"
#include "fake_service_parts.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2::api {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using ::testing::Not;

// The fake store, counting what is asked of it.
class CountingArtifactStore final : public ArtifactStore {
 public:
  std::string prefix_for(const Job& job) const override { return files.prefix_for(job); }
  using ArtifactStore::list;
  Result<ArtifactListing> list(const Job& job, const ArtifactScope& scope, int64_t expires_in_s) override {
    lists += 1;
    return files.list(job, scope, expires_in_s);
  }
  Result<std::string> read(const Job& job, const std::string& name) override {
    reads += 1;
    return files.read(job, name);
  }
  Status write(const Job& job, const std::string& name, const std::string& content) override {
    return files.write(job, name, content);
  }
  Status readiness() override { return Status::success(); }
  std::string download_origin() const override { return files.download_origin(); }

  testing::FakeArtifactStore files;
  int lists = 0;
  int reads = 0;
};

class RecordingSink final : public StreamSink {
 public:
  bool send(std::string chunk) override {
    chunks.push_back(std::move(chunk));
    return true;
  }
  void finish() override { finished = true; }

  // The data of every event named `name`, parsed.
  std::vector<json::object> events(const std::string& name) const {
    std::vector<json::object> found;
    const std::string head = "event: " + name + "\ndata: ";
    for (const std::string& chunk : chunks) {
      for (size_t at = chunk.find(head); at != std::string::npos; at = chunk.find(head, at + 1)) {
        const size_t start = at + head.size();
        found.push_back(json::parse(chunk.substr(start, chunk.find('\n', start) - start)).as_object());
      }
    }
    return found;
  }

  std::vector<std::string> chunks;
  bool finished = false;
};

Job job_named(const std::string& job_id) {
  Job job;
  job.job_id = job_id;
  job.user_id = "alice";
  return job;
}

TEST(JobOutputWatch, ReadsAWatchedJobOnceEveryTwoSecondsHoweverManyWatchIt) {
  FakeClock clock;
  CountingArtifactStore store;
  store.files.files["metrics.csv"] = "step,n_species\n0,1\n";
  JobOutputWatch watch(store, clock);
  std::vector<uint64_t> seen(5, 0);
  std::vector<uint64_t> handles;
  for (size_t i = 0; i < seen.size(); ++i) {
    handles.push_back(watch.watch(job_named("job_a"), [&seen, i](const JobOutputs& outputs) {
      seen[i] = outputs.metrics_version;
    }));
  }
  watch.run_due_reads();
  EXPECT_EQ(store.lists, 1);
  EXPECT_EQ(store.reads, 1);
  EXPECT_EQ(seen, std::vector<uint64_t>(5, 1));

  // Not again before 2 s are over, however often the loop runs.
  clock.advance_ms(JobOutputWatch::kReadIntervalMs - 1);
  EXPECT_EQ(watch.run_due_reads().count(), 1);
  EXPECT_EQ(store.lists, 1);
  clock.advance_ms(1);
  watch.run_due_reads();
  EXPECT_EQ(store.lists, 2);
  EXPECT_EQ(store.reads, 1);  // metrics.csv unchanged in the listing: not read again

  store.files.files["metrics.csv"] += "100,3\n";
  clock.advance_ms(JobOutputWatch::kReadIntervalMs);
  watch.run_due_reads();
  EXPECT_EQ(store.reads, 2);
  EXPECT_EQ(seen, std::vector<uint64_t>(5, 2));

  // A late watcher gets what was read, without a read of its own.
  JobOutputs late;
  handles.push_back(watch.watch(job_named("job_a"), [&late](const JobOutputs& outputs) { late = outputs; }));
  EXPECT_EQ(late.metrics_version, 2u);
  ASSERT_TRUE(late.metrics);
  EXPECT_EQ(late.metrics->at("rows").as_array().size(), 2u);
  ASSERT_TRUE(late.artifacts);
  EXPECT_EQ(late.artifacts->at("artifacts").as_array().size(), 1u);
  EXPECT_EQ(store.lists, 3);

  for (uint64_t handle : handles) watch.unwatch(handle);
  EXPECT_EQ(watch.watched_jobs(), 0u);
  clock.advance_ms(JobOutputWatch::kReadIntervalMs);
  watch.run_due_reads();
  EXPECT_EQ(store.lists, 3);  // nobody watches: nothing is read
}

TEST(JobOutputWatch, EachWatchedJobIsReadOnItsOwn) {
  FakeClock clock;
  CountingArtifactStore store;
  JobOutputWatch watch(store, clock);
  int calls = 0;
  watch.watch(job_named("job_a"), [&calls](const JobOutputs&) { calls += 1; });
  watch.watch(job_named("job_b"), [&calls](const JobOutputs&) { calls += 1; });
  watch.run_due_reads();
  EXPECT_EQ(store.lists, 2);
  EXPECT_EQ(calls, 2);  // the first listing is news even when empty
  EXPECT_EQ(store.reads, 0);  // no metrics.csv listed
  EXPECT_EQ(watch.watched_jobs(), 2u);
}

class JobEventStreamOutputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stores = std::move(SqliteStores::open(dir / "live2.db", clock).value());
    Job job = job_named(new_job_id(clock.now_ms(), random));
    job.job_type = "run_simulation";
    job.params_json = R"({"simulation_config":{"mode":"open_chemistry"}})";
    job.created_at_ms = job.updated_at_ms = clock.now_ms();
    job.request_fingerprint = "fingerprint";
    job_id = stores->jobs().create_job(job, JobQuota{}, clock.now_ms()).value().job.job_id;
    hub = std::make_unique<JobEventHub>(stores->jobs());
  }

  std::shared_ptr<RecordingSink> open_stream() {
    auto stream = std::make_shared<JobEventStream>(job_id, JobEventStream::Sources{stores->jobs(), *hub, watch}, 15'000);
    auto sink = std::make_shared<RecordingSink>();
    stream->open(sink);
    streams.push_back(stream);
    return sink;
  }

  live2::testing::TempDir dir;
  FakeClock clock;
  OsRandomSource random;
  CountingArtifactStore store;
  std::unique_ptr<SqliteStores> stores;
  std::unique_ptr<JobEventHub> hub;
  JobOutputWatch watch{store, clock};
  std::string job_id;
  std::vector<std::shared_ptr<JobEventStream>> streams;
};

TEST_F(JobEventStreamOutputsTest, StreamsSendTheMetricsRowsTheyHaveNotSentAndTheArtifactListing) {
  store.files.files["metrics.csv"] = "step,n_species\n0,1\n100,2\n";
  auto first = open_stream();
  auto second = open_stream();
  EXPECT_EQ(first->events("job").size(), 1u);
  watch.run_due_reads();
  EXPECT_EQ(store.reads, 1);  // two viewers, one read
  for (const auto& sink : {first, second}) {
    auto metrics = sink->events("metrics");
    ASSERT_EQ(metrics.size(), 1u);
    EXPECT_EQ(json::serialize(metrics[0]),
              R"({"job_id":")" + job_id + R"(","columns":["step","n_species"],"first_row":0,"rows":[[0,1],[100,2]]})");
    auto artifacts = sink->events("artifacts");
    ASSERT_EQ(artifacts.size(), 1u);
    EXPECT_EQ(artifacts[0].at("artifacts").as_array()[0].at("name").as_string(), "metrics.csv");
  }

  // A new row: only it is sent, with its index.
  store.files.files["metrics.csv"] += "200,4\n";
  clock.advance_ms(JobOutputWatch::kReadIntervalMs);
  watch.run_due_reads();
  auto metrics = first->events("metrics");
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[1].at("first_row").as_int64(), 2);
  EXPECT_EQ(json::serialize(metrics[1].at("rows")), "[[200,4]]");

  // A viewer that comes now gets the whole table at once, from what was read already.
  auto late = open_stream();
  EXPECT_EQ(store.reads, 2);
  ASSERT_EQ(late->events("metrics").size(), 1u);
  EXPECT_EQ(late->events("metrics")[0].at("rows").as_array().size(), 3u);

  // A rewritten table (fewer rows: the run resumed from an earlier checkpoint) is sent whole.
  store.files.files["metrics.csv"] = "step,n_species\n0,1\n";
  clock.advance_ms(JobOutputWatch::kReadIntervalMs);
  watch.run_due_reads();
  metrics = first->events("metrics");
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[2].at("first_row").as_int64(), 0);
  EXPECT_EQ(metrics[2].at("rows").as_array().size(), 1u);

  // Nothing changed: nothing is sent.
  const size_t chunks = first->chunks.size();
  clock.advance_ms(JobOutputWatch::kReadIntervalMs);
  watch.run_due_reads();
  EXPECT_EQ(first->chunks.size(), chunks);
}

TEST_F(JobEventStreamOutputsTest, ATableTooLargeForOneEventIsLeftToTheMetricsRoute) {
  std::string csv = "step,note\n";
  const std::string note(100, 'x');
  for (size_t step = 0; csv.size() <= JobEventStream::kMaxMetricsEventBytes; ++step) {
    csv += std::to_string(step) + "," + note + "\n";
  }
  store.files.files["metrics.csv"] = csv;
  auto sink = open_stream();
  watch.run_due_reads();
  auto metrics = sink->events("metrics");
  ASSERT_EQ(metrics.size(), 1u);
  const int64_t rows = std::count(csv.begin(), csv.end(), '\n') - 1;
  EXPECT_EQ(metrics[0].at("first_row").as_int64(), rows);
  EXPECT_TRUE(metrics[0].at("rows").as_array().empty());
  for (const std::string& chunk : sink->chunks) EXPECT_LE(chunk.size(), JobEventStream::kMaxMetricsEventBytes + 4096);

  // The rows that follow are sent as usual.
  store.files.files["metrics.csv"] += "999999," + note + "\n";
  clock.advance_ms(JobOutputWatch::kReadIntervalMs);
  watch.run_due_reads();
  metrics = sink->events("metrics");
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[1].at("first_row").as_int64(), rows);
  EXPECT_EQ(metrics[1].at("rows").as_array().size(), 1u);
}

TEST_F(JobEventStreamOutputsTest, ClosedStreamsStopWatchingAndAFinishedJobIsNotWatched) {
  auto sink = open_stream();
  EXPECT_EQ(watch.watched_jobs(), 1u);
  streams.back()->close();
  EXPECT_EQ(watch.watched_jobs(), 0u);

  ASSERT_TRUE(stores->jobs()
                  .update_job(job_id,
                              [](Job& job) {
                                job.status = JobStatus::cancelled;
                                return true;
                              })
                  .ok());
  auto after = open_stream();
  EXPECT_TRUE(after->finished);
  EXPECT_EQ(watch.watched_jobs(), 0u);
  watch.run_due_reads();
  EXPECT_EQ(store.lists, 0);
  EXPECT_THAT(after->chunks.back(), Not(HasSubstr("event: metrics")));
}

}  // namespace
}  // namespace live2::api
