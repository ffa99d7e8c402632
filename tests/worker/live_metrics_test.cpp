// metrics.csv while the real worker runs: it appears at the first analysis and grows, and every version a reader
// sees is complete (the header, whole lines of numbers) and a prefix of the final file.
#include <gtest/gtest.h>

#include <boost/algorithm/string/split.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <set>
#include <thread>

#include "h5_contents.h"
#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

// A few seconds on two busy cores, so the file is read many times while the run goes.
const std::string kObservedRun = open_chemistry_params(
    R"("num_particles": 600, "steps": 6000, "seed": 5, "analysis_interval": 200, "snapshot_interval": 3000)");

constexpr std::string_view kHeader =
    "step,time,temperature,kinetic_energy,potential_energy,pressure,n_bonds,n_molecules,n_species,new_species,"
    "largest_molecule,bonds_formed,bonds_broken\n";

// The number of data rows, after checking that `csv` is a complete metrics.csv.
size_t checked_row_count(const std::string& csv) {
  EXPECT_EQ(csv.substr(0, kHeader.size()), kHeader);
  EXPECT_EQ(csv.back(), '\n') << "a partial last line";
  size_t rows = 0;
  size_t line_start = kHeader.size();
  while (line_start < csv.size()) {
    const size_t line_end = csv.find('\n', line_start);
    const std::string_view line(csv.data() + line_start, (line_end == std::string::npos ? csv.size() : line_end) - line_start);
    std::vector<std::string> fields;
    boost::algorithm::split(fields, line, [](char c) { return c == ','; });
    EXPECT_EQ(fields.size(), 13u) << line;
    for (const std::string& field : fields) {
      double number = 0;
      const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), number);
      EXPECT_TRUE(error == std::errc() && end == field.data() + field.size()) << "not a number: " << field;
    }
    ++rows;
    line_start = line_end == std::string::npos ? csv.size() : line_end + 1;
  }
  return rows;
}

TEST(WorkerLiveMetrics, MetricsCsvIsReadableWhileRunningAndEachVersionIsAPrefixOfTheFinalFile) {
  TempDir scratch("live2-worker-live-metrics");
  const std::filesystem::path params_file = scratch.path() / "params.json";
  {
    std::ofstream(params_file) << kObservedRun;
  }
  const std::filesystem::path out = scratch.path() / "out";
  std::set<std::string> seen;
  int exit_code = -1;
  {
    ChildProcess child({worker_binary(), "run", "--params", params_file.string(), "--out", out.string(), "--threads", "2"},
                       {}, scratch.path() / "stdout.txt", scratch.path() / "stderr.txt");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (!std::filesystem::exists(out / "metadata.json") && std::chrono::steady_clock::now() < deadline) {
      std::error_code error;
      if (std::filesystem::exists(out / "metrics.csv", error)) seen.insert(read_file_text(out / "metrics.csv"));
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    exit_code = child.wait(30);
  }
  ASSERT_EQ(exit_code, 0) << read_file_text(scratch.path() / "stderr.txt");

  const std::string final_csv = read_file_text(out / "metrics.csv");
  const size_t final_rows = checked_row_count(final_csv);
  EXPECT_EQ(final_rows, 31u);  // steps 0, 200, ..., 6000
  EXPECT_EQ(read_all_datasets(out / "results.h5").at("/metrics/step").dims, std::vector<hsize_t>{final_rows});
  size_t versions_while_running = 0;
  for (const std::string& version : seen) {
    const size_t rows = checked_row_count(version);
    EXPECT_GE(rows, 1u);
    EXPECT_EQ(final_csv.compare(0, version.size(), version), 0) << "not a prefix of the final file:\n" << version;
    versions_while_running += rows < final_rows;
  }
  EXPECT_GE(versions_while_running, 1u) << "metrics.csv was never seen before the run finished";
  std::printf("metrics.csv versions seen while running: %zu\n", versions_while_running);
}

}  // namespace
}  // namespace live2::worker::testing
