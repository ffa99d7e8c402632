// LiveMetricsCsv with a fake clock and a sink that records what it was given: the rate limit, the back-off after a
// slow update, and that each published file is the whole history so far.
#include <gtest/gtest.h>

#include "child_process.h"
#include "support/temp_dir.h"
#include "worker/live_metrics_csv.h"
#include "worker/report_files.h"

namespace live2::worker {

using namespace live2::sim;
namespace {

using live2::testing::TempDir;

// Remembers the file content at every publish; each publish takes `publish_seconds` of the fake clock.
class ContentRecordingSink final : public ArtifactSink {
 public:
  ContentRecordingSink(FakeClock& clock, double publish_seconds) : clock_(clock), publish_seconds_(publish_seconds) {}
  OutputStatus publish(const std::string& name, const std::filesystem::path& file, bool final) override {
    EXPECT_EQ(name, "metrics.csv");
    EXPECT_FALSE(final);
    published.push_back(testing::read_file_text(file));
    clock_.advance_ms(std::llround(publish_seconds_ * 1000));
    return {};
  }
  bool fetch(const std::string&, const std::filesystem::path&) override { return false; }
  std::vector<std::string> published;

 private:
  FakeClock& clock_;
  double publish_seconds_;
};

MetricsRow row_at(int64_t step) { return MetricsRow{step, step * 0.005, 300.5, 10.25, -20.125, 0.375, 1, 2, 3, 4, 5, 6, 7}; }

std::string csv_of(const std::vector<MetricsRow>& rows) {
  std::string csv = metrics_csv_header();
  for (const MetricsRow& row : rows) csv += metrics_csv_line(row);
  return csv;
}

TEST(LiveMetricsCsv, PublishesTheFirstUpdateAtOnceThenAtMostEveryInterval) {
  TempDir dir("live2-live-metrics");
  FakeClock clock;
  ContentRecordingSink sink(clock, 0);
  LiveMetricsCsv live(dir.path() / "metrics.csv", sink, clock, 2.0);
  std::vector<MetricsRow> history = {row_at(0)};
  ASSERT_TRUE(live.publish_if_due(history).ok());
  history.push_back(row_at(100));
  clock.advance_ms(1500);
  ASSERT_TRUE(live.publish_if_due(history).ok());  // too soon
  history.push_back(row_at(200));
  clock.advance_ms(500);
  ASSERT_TRUE(live.publish_if_due(history).ok());
  ASSERT_EQ(sink.published.size(), 2u);
  EXPECT_EQ(sink.published[0], csv_of({row_at(0)}));
  EXPECT_EQ(sink.published[1], csv_of(history));

  history.push_back(row_at(300));
  ASSERT_TRUE(live.publish_now(history).ok());  // a stop does not wait for the interval
  EXPECT_EQ(sink.published.back(), csv_of(history));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "metrics.csv.tmp"));
}

TEST(LiveMetricsCsv, ASlowUpdateDelaysTheNextOne) {
  TempDir dir("live2-live-metrics");
  FakeClock clock;
  ContentRecordingSink sink(clock, /*publish_seconds=*/1.0);
  LiveMetricsCsv live(dir.path() / "metrics.csv", sink, clock, 2.0);
  const std::vector<MetricsRow> history = {row_at(0)};
  ASSERT_TRUE(live.publish_if_due(history).ok());
  clock.advance_ms(std::llround((LiveMetricsCsv::kBackoffFactor * 1.0 - 0.5) * 1000));
  ASSERT_TRUE(live.publish_if_due(history).ok());
  EXPECT_EQ(sink.published.size(), 1u);
  clock.advance_ms(500);
  ASSERT_TRUE(live.publish_if_due(history).ok());
  EXPECT_EQ(sink.published.size(), 2u);
}

TEST(LiveMetricsCsv, WriteAtTheEndDoesNotPublish) {
  TempDir dir("live2-live-metrics");
  FakeClock clock;
  ContentRecordingSink sink(clock, 0);
  LiveMetricsCsv live(dir.path() / "metrics.csv", sink, clock, 2.0);
  const std::vector<MetricsRow> history = {row_at(0), row_at(100)};
  ASSERT_TRUE(live.write(history).ok());
  EXPECT_TRUE(sink.published.empty());
  EXPECT_EQ(testing::read_file_text(dir.path() / "metrics.csv"), csv_of(history));
}

TEST(LiveMetricsCsv, AFileThatCannotBeWrittenIsAFailure) {
  TempDir dir("live2-live-metrics");
  FakeClock clock;
  ContentRecordingSink sink(clock, 0);
  std::filesystem::create_directories(dir.path() / "metrics.csv");  // a directory where the file should go
  LiveMetricsCsv live(dir.path() / "metrics.csv", sink, clock, 2.0);
  EXPECT_FALSE(live.publish_if_due({row_at(0)}).ok());
  EXPECT_TRUE(sink.published.empty());
}

}  // namespace
}  // namespace live2::worker
