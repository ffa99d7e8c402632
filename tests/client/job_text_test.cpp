#include "client/job_text.h"

#include <gtest/gtest.h>

#include <algorithm>

#include <boost/json.hpp>

namespace live2::client {
namespace {

JobView job(const std::string& status, double progress, std::optional<double> eta) {
  JobView view;
  view.job_id = "job_x";
  view.status = status;
  view.progress = progress;
  view.eta_seconds = eta;
  return view;
}

TEST(JobText, ProgressLineFillsTheBarAndShowsEtaUntilTerminal) {
  EXPECT_EQ(progress_line(job("running", 50, 200), 10), "[#####-----]  50.0%  running  eta 3m 20s");
  EXPECT_EQ(progress_line(job("completed", 100, 0), 4), "[####] 100.0%  completed");
  EXPECT_EQ(progress_line(job("queued", 0, std::nullopt), 4), "[----]   0.0%  queued");
}

TEST(JobText, FormatsDurationsAndSizes) {
  EXPECT_EQ(format_duration(45), "45s");
  EXPECT_EQ(format_duration(3725), "1h 02m");
  EXPECT_EQ(format_bytes(512), "512 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(3 * 1024 * 1024), "3.0 MiB");
}

TEST(JobText, ErrorListsEveryFieldOnItsOwnLine) {
  Error error = Error::make(ErrorCode::validation_failed, "the job request is invalid");
  error.http_status = 422;
  error.request_id = "req_1";
  error.details = {{"params.a", "is required"}, {"params.b", "must be at most 5"}};
  EXPECT_EQ(describe_error(error),
            "error: the job request is invalid (validation_failed, HTTP 422, request req_1)\n"
            "  params.a: is required\n"
            "  params.b: must be at most 5\n");
}

TEST(JobText, DescribesAJobFromItsJson) {
  JobView view = job("failed", 12.5, std::nullopt);
  view.error = "worker exited with code 64";
  view.json = boost::json::parse(R"({"job_type":"run_simulation","created_at":"2026-11-24T10:00:00.000Z",
                                     "executor":{"kind":"local","attempts":1}})").as_object();
  const std::string text = describe_job(view);
  EXPECT_NE(text.find("status        failed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("error         worker exited with code 64\n"), std::string::npos) << text;
  EXPECT_NE(text.find("executor      local, attempts 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("created_at    2026-11-24T10:00:00.000Z\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("cost"), std::string::npos) << text;  // a local job has none
}

TEST(JobText, ShowsABatchJobsSizeAndCost) {
  JobView view = job("completed", 100, std::nullopt);
  view.json = boost::json::parse(R"({"executor":{"kind":"aws_batch","attempts":2,"vcpus":0.25,"memory_mib":1024},
                                     "cost":{"vcpu_hours":0.5,"gb_hours":1.0,"usd":0.0072}})").as_object();
  const std::string text = describe_job(view);
  EXPECT_NE(text.find("size          0.25 vCPU, 1024 MiB\n"), std::string::npos) << text;
  EXPECT_NE(text.find("cost          ~$0.0072: 0.500 vCPU-h, 1.000 GB-h\n"), std::string::npos) << text;
  view.json["cost"].as_object()["usd"] = nullptr;  // a region without prices
  EXPECT_NE(describe_job(view).find("cost          0.500 vCPU-h, 1.000 GB-h\n"), std::string::npos);
}

TEST(JobText, ARunTableShowsEachRunsSweptValuesAndError) {
  const boost::json::array runs = boost::json::parse(R"([
      {"index":0,"status":"completed","progress":100,"seed":123,"sweep":{"temperature":300,"composition.C":0.1},
       "error":null},
      {"index":1,"status":"failed","progress":12.5,"seed":456,"sweep":{"temperature":450,"composition.C":0.1},
       "error":"HDF5 error: disk full"}])").as_array();
  const std::string table = run_table(runs);
  EXPECT_NE(table.find("INDEX"), std::string::npos) << table;
  EXPECT_NE(table.find("temperature=300 composition.C=0.1"), std::string::npos) << table;
  EXPECT_NE(table.find("100.0%"), std::string::npos) << table;
  EXPECT_NE(table.find("12.5%"), std::string::npos) << table;
  EXPECT_NE(table.find("failed"), std::string::npos) << table;
  EXPECT_NE(table.find("HDF5 error: disk full"), std::string::npos) << table;
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 3);
}

TEST(JobText, ShowsKeyParametersRuntimeAndOutcome) {
  JobView view = job("failed", 40, std::nullopt);
  view.job_id = "job_0mxa6vkl3q9z00000000000";
  view.error = "worker exited with code 1";
  view.json = boost::json::parse(R"({"params":{"simulation_config":{"mode":"preset_prebiotic",
      "config":{"num_particles":2000,"steps":20000,"temperature":400,"preset":"miller_urey"}}},
      "started_at":"2026-11-24T10:00:00.000Z","completed_at":"2026-11-24T10:03:20.400Z",
      "created_at":"2026-11-24T09:59:59.000Z"})").as_object();
  EXPECT_EQ(key_parameters(view), "2000 particles, 20000 steps, 400 K, preset miller_urey");
  ASSERT_TRUE(runtime_seconds(view));
  EXPECT_DOUBLE_EQ(*runtime_seconds(view), 200.4);
  const std::string text = describe_job(view);
  EXPECT_NE(text.find("parameters    2000 particles, 20000 steps, 400 K, preset miller_urey\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("runtime       3m 20s\n"), std::string::npos) << text;
  const std::string table = job_table({view});
  EXPECT_NE(table.find("PARTICLES"), std::string::npos) << table;
  EXPECT_NE(table.find(" 2000 "), std::string::npos) << table;
  EXPECT_NE(table.find(" 20000 "), std::string::npos) << table;
  EXPECT_NE(table.find("miller_urey"), std::string::npos) << table;
  EXPECT_NE(table.find("3m 20s"), std::string::npos) << table;
  EXPECT_NE(table.find("worker exited with code 1"), std::string::npos) << table;

  JobView running = job("running", 10, 30);
  running.json = boost::json::parse(R"({"params":{"simulation_config":{"config":{}}},
      "started_at":"2026-11-24T10:00:00.000Z"})").as_object();
  EXPECT_EQ(key_parameters(running), "server defaults");
  EXPECT_FALSE(runtime_seconds(running)) << "a running job has no runtime yet";
}

}  // namespace
}  // namespace live2::client
