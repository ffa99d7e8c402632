// A dataset through the real `live2 serve` and the real live2-sim, combined by the local executor's combine step:
// a 2 x 2 x 2 dataset completes and its combined files agree with the runs' own artifacts and with GET .../runs;
// a dataset with a run that fails still combines, that run's row saying so; a cancel midway stops it uncombined.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "support/http_client.h"
#include "support/job_polling.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

// dataset.csv as header -> cell maps, one per row (no cell of these datasets needs quoting).
std::vector<std::map<std::string, std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    size_t start = 0;
    while (true) {
      const size_t comma = line.find(',', start);
      cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    lines.push_back(std::move(cells));
  }
  std::vector<std::map<std::string, std::string>> rows;
  for (size_t r = 1; r < lines.size(); ++r) {
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < lines[0].size() && c < lines[r].size(); ++c) row[lines[0][c]] = lines[r][c];
    rows.push_back(std::move(row));
  }
  return rows;
}

class ServeDatasetTest : public ::testing::Test {
 protected:
  ServeDatasetTest() : server_(options()) {
    server_.start();
    key_ = server_.create_key("user_1");
  }

  static testing::ServerOptions options() {
    testing::ServerOptions result;
    result.env = {{"LIVE2_MAX_CONCURRENT_JOBS", "2"}, {"LIVE2_WORKER_THREADS", "1"}};
    return result;
  }

  std::string submit(const std::string& params) {
    const auto created = testing::http_post_json(server_.url("/api/v1/jobs"),
                                                 R"({"job_type": "generate_dataset", "params": )" + params + "}",
                                                 testing::bearer(key_));
    EXPECT_EQ(created.status, 202) << created.body;
    return created.status == 202 ? std::string(json::parse(created.body).at("job_id").as_string()) : "";
  }

  json::object wait_until_ended(const std::string& job_id) {
    return testing::wait_for_job(server_, key_, job_id, [](const json::object& job) {
      const std::string_view status = job.at("status").as_string();
      return status == "completed" || status == "failed" || status == "cancelled";
    }, 120s);
  }

  json::array runs_of(const std::string& job_id) {
    const auto page = testing::http_get(server_.url("/api/v1/jobs/" + job_id + "/runs?limit=100"), testing::bearer(key_));
    EXPECT_EQ(page.status, 200) << page.body;
    return json::parse(page.body).at("runs").as_array();
  }

  fs::path dataset_dir(const std::string& job_id) const {
    return server_.data_dir() / "artifacts" / "prod" / "user_1" / job_id;
  }

  testing::ServerProcess server_;
  std::string key_;
};

TEST_F(ServeDatasetTest, ADatasetCompletesWithCombinedFilesThatAgreeWithItsRuns) {
  const std::string job_id = submit(
      R"({"simulation_config": {"mode": "open_chemistry",
                                "config": {"num_particles": 200, "steps": 300, "snapshot_interval": 300}},
          "sweep": {"temperature": [300, 450], "composition.C": [0.1, 0.2]}, "replicas": 2})");
  ASSERT_FALSE(job_id.empty());
  const json::object done = wait_until_ended(job_id);
  ASSERT_EQ(done.at("status").as_string(), "completed") << json::serialize(done) << server_.log_text();
  EXPECT_EQ(done.at("runs").at("completed"), 8);
  EXPECT_EQ(done.at("executor").at("state"), "SUCCEEDED");

  const fs::path root = dataset_dir(job_id);
  const auto rows = csv_rows(testing::read_whole_file(root / "dataset.csv"));
  const json::array runs = runs_of(job_id);
  ASSERT_EQ(rows.size(), 8u);
  ASSERT_EQ(runs.size(), 8u);
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const json::object& run = runs[i].as_object();
    const json::value summary =
        json::parse(testing::read_whole_file(root / "runs" / std::to_string(i) / "summary.json"));
    const json::value& final_metrics = summary.at("final_metrics");
    EXPECT_EQ(row.at("run_index"), std::to_string(i));
    EXPECT_EQ(row.at("status"), "completed");
    EXPECT_EQ(row.at("seed"), json::serialize(run.at("seed")));
    for (const char* field : {"temperature", "composition.C"}) {
      EXPECT_EQ(std::stod(row.at(field)), run.at("sweep").at(field).to_number<double>()) << field;
    }
    EXPECT_EQ(row.at("final_molecules"), json::serialize(final_metrics.at("n_molecules")));
    EXPECT_EQ(row.at("species"), json::serialize(final_metrics.at("n_species")));
    EXPECT_EQ(row.at("bonds"), json::serialize(final_metrics.at("n_bonds")));
  }

  // Each point's means are the means of its replicas' rows (runs 2p and 2p + 1).
  const json::object summary = json::parse(testing::read_whole_file(root / "dataset_summary.json")).as_object();
  EXPECT_EQ(summary.at("dataset_id"), json::value(job_id));
  EXPECT_EQ(summary.at("runs").at("total"), 8);
  const json::array& points = summary.at("points").as_array();
  ASSERT_EQ(points.size(), 4u);
  for (size_t p = 0; p < points.size(); ++p) {
    EXPECT_EQ(points[p].at("run_indices"), (json::array{2 * p, 2 * p + 1}));
    EXPECT_EQ(points[p].at("sweep"), runs[2 * p].at("sweep"));
    for (const char* outcome : {"final_molecules", "species", "bonds"}) {
      const double mean = (std::stod(rows[2 * p].at(outcome)) + std::stod(rows[2 * p + 1].at(outcome))) / 2;
      EXPECT_DOUBLE_EQ(points[p].at("outcomes").at(outcome).at("mean").to_number<double>(), mean) << outcome;
      EXPECT_EQ(points[p].at("outcomes").at(outcome).at("n"), 2);
    }
  }

  // The combined files are the dataset's artifacts, metadata.json vouching for them.
  const auto listing = testing::http_get(server_.url("/api/v1/jobs/" + job_id + "/artifacts"), testing::bearer(key_));
  ASSERT_EQ(listing.status, 200) << listing.body;
  for (const char* name : {"dataset.csv", "dataset.h5", "dataset_summary.json", "metadata.json"}) {
    EXPECT_NE(listing.body.find(std::string("\"") + name + "\""), std::string::npos) << name;
  }
  const json::value metadata = json::parse(testing::read_whole_file(root / "metadata.json"));
  EXPECT_EQ(metadata.at("job_id"), json::value(job_id));
  EXPECT_EQ(metadata.at("artifacts").as_array().size(), 3u);
}

// A run that fails (its metadata.json cannot be written: a directory is in the way) leaves the others to combine.
TEST_F(ServeDatasetTest, ADatasetWithAFailedRunStillCombines) {
  const std::string job_id = submit(
      R"({"simulation_config": {"mode": "open_chemistry",
                                "config": {"num_particles": 200, "steps": 3000, "snapshot_interval": 3000}},
          "replicas": 3})");
  ASSERT_FALSE(job_id.empty());
  // Two slots: runs 0 and 1 run first, run 2 only after one of them (a few hundred ms each).
  const fs::path blocked = dataset_dir(job_id) / "runs" / "2" / "metadata.json";
  fs::create_directories(blocked);
  std::ofstream(blocked / "keep") << "a directory where the run's metadata.json goes";
  const json::object done = wait_until_ended(job_id);
  ASSERT_EQ(done.at("status").as_string(), "completed") << json::serialize(done) << server_.log_text();
  EXPECT_EQ(done.at("runs").at("completed"), 2);
  EXPECT_EQ(done.at("runs").at("failed"), 1);

  const auto rows = csv_rows(testing::read_whole_file(dataset_dir(job_id) / "dataset.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("status"), "completed");
  EXPECT_EQ(rows[1].at("status"), "completed");
  EXPECT_EQ(rows[2].at("status"), "failed");
  EXPECT_EQ(rows[2].at("final_molecules"), "");
  const json::object summary =
      json::parse(testing::read_whole_file(dataset_dir(job_id) / "dataset_summary.json")).as_object();
  EXPECT_EQ(summary.at("runs"), (json::object{{"total", 3}, {"completed", 2}, {"failed", 1}, {"cancelled", 0}}));
  EXPECT_EQ(summary.at("points").at(0).at("outcomes").at("final_molecules").at("n"), 2);
}

// A cancel midway: the runs that completed keep their artifacts, the running ones are stopped, the queued ones never
// start, and nothing is combined.
TEST_F(ServeDatasetTest, ADatasetCancelledMidwayStopsItsRunsAndCombinesNothing) {
  const std::string job_id = submit(
      R"({"simulation_config": {"mode": "open_chemistry",
                                "config": {"num_particles": 600, "steps": 10000, "snapshot_interval": 10000}},
          "replicas": 8})");
  ASSERT_FALSE(job_id.empty());
  testing::wait_for_job(server_, key_, job_id, [](const json::object& job) {
    return job.at("runs").at("completed").as_int64() >= 1 && job.at("runs").at("running").as_int64() >= 1;
  }, 60s);
  const auto cancel = testing::http_post_json(server_.url("/api/v1/jobs/" + job_id + "/cancel"), "{}",
                                              testing::bearer(key_));
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  const json::object done = wait_until_ended(job_id);
  ASSERT_EQ(done.at("status").as_string(), "cancelled") << json::serialize(done) << server_.log_text();
  const json::object& counts = done.at("runs").as_object();
  EXPECT_EQ(counts.at("queued"), 0);
  EXPECT_EQ(counts.at("running"), 0);
  EXPECT_GE(counts.at("completed").as_int64(), 1);
  EXPECT_GE(counts.at("cancelled").as_int64(), 1);
  EXPECT_EQ(counts.at("completed").as_int64() + counts.at("cancelled").as_int64() + counts.at("failed").as_int64(), 8);
  for (const json::value& run : runs_of(job_id)) {
    const std::string index = std::to_string(run.at("index").as_int64());
    const bool completed = run.at("status").as_string() == "completed";
    EXPECT_EQ(fs::exists(dataset_dir(job_id) / "runs" / index / "metadata.json"), completed) << index;
  }
  EXPECT_FALSE(fs::exists(dataset_dir(job_id) / "dataset.csv"));
  EXPECT_FALSE(fs::exists(dataset_dir(job_id) / "metadata.json"));
}

}  // namespace
}  // namespace live2
