// report.html and README.txt: the pure builders (escaping, bounds, what each section holds) and the files a real
// in-process run leaves in its work dir, finished and stopped.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "support/temp_dir.h"
#include "base/clock.h"
#include "worker/artifact_sink.h"
#include "worker/download_readme.h"
#include "worker/job_runner.h"
#include "worker/report_html.h"
#include "worker/table_columns.h"
#include "worker/worker_contract.h"

namespace live2::worker {
namespace {

namespace fs = std::filesystem;
using live2::testing::TempDir;

size_t occurrences(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

RunReport small_report() {
  RunReport report;
  report.job_id = "job_0mxa6vkl3q9z";
  report.outcome = "completed";
  report.parameters = boost::json::parse(R"({"simulation_config":{"mode":"preset_prebiotic",
      "config":{"num_particles":300,"steps":3000,"temperature":350,"preset":"miller_urey"}}})").as_object();
  report.last_step = 3000;
  report.species = {{"H2O#1", "H2O", 3, 2, 0, 30, 34}, {"CH4#2", "CH4", 5, 4, 0, 8, 18},
                    {"X#<script>", "<script>alert(1)</script>", 1, 0, 200, 1, 2}};
  report.reactions = {{"a", "H + HO -> H2O", {}, {}, 11, 0, 880}, {"b", "CH4 -> CH3 + H", {}, {}, 46, 3, 20},
                      {"c", "H2 -> H + H", {}, {}, 0, 4, -1}};
  report.species_counts = {{0, 0, "H2O#1", 32}, {0, 0, "CH4#2", 18}, {100, 8, "H2O#1", 33}, {100, 8, "CH4#2", 17}};
  return report;
}

TEST(ReportHtml, HoldsTheSpeciesTableTopReactionsChartAndFirstAppearancesWithoutScriptOrFetches) {
  const std::string html = report_html(small_report());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(occurrences(html, "<tr><td>"), 3u + 2u) << "three species rows and two reactions that happened";
  EXPECT_LT(html.find("<td>H2O</td><td class=\"key\">H2O#1</td><td class=\"n\">0</td><td class=\"n\">30</td><td "
                      "class=\"n\">34</td>"),
            html.find("<td>CH4</td>"))
      << "most abundant first, with its key, first seen, final and max count";
  EXPECT_LT(html.find("CH4 -&gt; CH3 + H"), html.find("H + HO -&gt; H2O")) << "reactions by count";
  EXPECT_EQ(html.find("H2 -&gt; H + H"), std::string::npos) << "a reaction that only recrossed did not happen";
  EXPECT_EQ(occurrences(html, "<polyline"), 3u) << "one line per species among the most abundant";
  EXPECT_NE(html.find("<li><span class=\"step\">step 200</span>"), std::string::npos);
  EXPECT_NE(html.find("<dd>miller_urey</dd>"), std::string::npos);
  EXPECT_NE(html.find("<dd>350</dd>"), std::string::npos);
  // Nothing active and nothing fetched: the only `<script` is escaped text, no URL or src/href attribute.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  for (const char* active : {"http:", "https:", "src=", "href=", "@import", "url("}) {
    EXPECT_EQ(html.find(active), std::string::npos) << active;
  }
  EXPECT_NE(html.find("content=\"default-src 'none'; style-src 'unsafe-inline'\""), std::string::npos);
}

TEST(ReportHtml, AStoppedRunIsMarkedPartialAndALargeOneIsBounded) {
  RunReport report = small_report();
  report.outcome = "stopped at step 1200 (cancelled, or to be resumed by a next attempt)";
  report.last_step = 1200;
  report.species_counts.clear();
  report.metrics = {sim::MetricsRow{0, 0, 300, 1, 1, 1, 0, 0, 3, 3, 1, 0, 0},
                    sim::MetricsRow{100, 8, 300, 1, 1, 1, 4, 2, 4, 1, 3, 5, 1}};
  for (int i = 0; i < 600; ++i) report.species.push_back({std::to_string(i) + "#K", "C", 1, 0, i, 0, 1});
  const std::string html = report_html(report);
  EXPECT_NE(html.find("class=\"outcome partial\">stopped at step 1200"), std::string::npos);
  EXPECT_NE(html.find("(the chemistry up to step 1200)"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<td class=\"key\">"), kReportMaxSpeciesRows);
  EXPECT_NE(html.find("the first 500 shown (all of them: molecules.json)"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<li>"), kReportFirstAppearances);
  EXPECT_EQ(occurrences(html, "<polyline"), 2u) << "without species counts: species and molecules present";
}

TEST(DownloadReadme, DescribesEveryArtifactAndEveryColumnWithItsUnit) {
  for (const char* name : {artifact::kResults, artifact::kSummary, artifact::kMetricsCsv, artifact::kMolecules,
                           artifact::kReactions, artifact::kTrajectory, artifact::kSpeciesCountsCsv,
                           artifact::kReactionNetworkJson, artifact::kReactionNetworkGraphml, artifact::kLog,
                           artifact::kProgress, artifact::kCheckpoint, artifact::kFinalImage, artifact::kMetadata,
                           artifact::kParams, artifact::kReport, artifact::kReadme}) {
    EXPECT_FALSE(artifact_description(name).empty()) << name;
  }
  for (const auto& column : metrics_columns()) EXPECT_FALSE(column_meaning(column.name).empty()) << column.name;
  for (const auto& column : species_count_columns()) EXPECT_FALSE(column_meaning(column.name).empty()) << column.name;

  const std::string text = download_readme("job_1", "completed", {"simulation.log", "metrics.csv", "extra.bin",
                                                                  "README.txt", "report.html"});
  EXPECT_TRUE(text.starts_with("live2 run job_1: completed\n")) << text;
  EXPECT_NE(text.find("one time unit is 0.08 ps"), std::string::npos) << text;
  EXPECT_LT(text.find("\nreport.html "), text.find("\nmetrics.csv ")) << "what a person reads first comes first";
  EXPECT_LT(text.find("\nmetrics.csv "), text.find("\nsimulation.log "));
  EXPECT_LT(text.find("\nsimulation.log "), text.find("\nextra.bin ")) << "unknown files last";
  EXPECT_NE(text.find("(described in docs/sim-worker.md of live2)"), std::string::npos);
  EXPECT_TRUE(std::regex_search(text, std::regex("\n +time +0\\.08 ps +simulated time"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex("\n +temperature +K +"))) << text;
  EXPECT_EQ(text.find("species_counts.csv"), std::string::npos) << "only the files given are listed";
  for (size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    EXPECT_LE(end - start, 120u) << text.substr(start, end - start);
  }
}

JobRunOptions tiny_job(const fs::path& work_dir) {
  const sim::ParseOutcome parsed = sim::parse_params(boost::json::parse(
      R"({"simulation_config": {"mode": "preset_prebiotic", "config": {"preset": "miller_urey",
          "num_particles": 120, "steps": 400, "seed": 5, "analysis_interval": 50, "snapshot_interval": 200}}})"));
  EXPECT_TRUE(parsed.config.has_value());
  JobRunOptions options;
  options.config = *parsed.config;
  options.identity = RunIdentity{"job-guide", "user-1", "", 1};
  options.threads = 1;
  options.work_dir = work_dir;
  return options;
}

// Every regular file under `dir`, as a path relative to it.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) names.push_back(fs::relative(entry.path(), dir).string());
  }
  return names;
}

TEST(RunGuide, AFinishedRunExplainsEveryFileOfItsDownload) {
  TempDir dir("live2-run-guide");
  DirectorySink sink(dir.path());
  std::atomic<bool> stop{false};
  SystemClock clock;
  ASSERT_EQ(run_simulation_job(tiny_job(dir.path()), sink, stop, clock), WorkerExitCode::finished);
  const std::string readme = read_file(dir / "README.txt");
  const std::string report = read_file(dir / "report.html");
  EXPECT_TRUE(readme.starts_with("live2 run job-guide: completed\n")) << readme;
  for (const std::string& name : files_in(dir.path())) {
    EXPECT_NE(readme.find("\n" + name + " "), std::string::npos) << name << " is not explained:\n" << readme;
  }
  EXPECT_NE(report.find("<table class=\"species\">"), std::string::npos);
  EXPECT_NE(report.find("class=\"outcome\">completed</p>"), std::string::npos);
  EXPECT_NE(read_file(dir / "metadata.json").find("\"report.html\""), std::string::npos)
      << "the metadata vouches for the report and README too";
}

TEST(RunGuide, AStoppedRunGetsAPartialReportAndAReadmeOfWhatExists) {
  TempDir dir("live2-run-guide");
  DirectorySink sink(dir.path());
  std::atomic<bool> stop{true};
  SystemClock clock;
  ASSERT_EQ(run_simulation_job(tiny_job(dir.path()), sink, stop, clock), WorkerExitCode::interrupted);
  const std::string readme = read_file(dir / "README.txt");
  EXPECT_TRUE(readme.starts_with("live2 run job-guide: stopped at step 0 (cancelled, or to be resumed"))
      << readme;
  EXPECT_NE(readme.find("\nsimulation.log "), std::string::npos) << readme;
  EXPECT_EQ(readme.find("\nmetadata.json "), std::string::npos) << "not written by a stopped run: " << readme;
  EXPECT_NE(read_file(dir / "report.html").find("class=\"outcome partial\">stopped at step 0"), std::string::npos);
}

}  // namespace
}  // namespace live2::worker
