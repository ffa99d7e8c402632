// The `live2` binary's client commands end to end against the real server.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "support/server_process.h"
#include "support/temp_dir.h"

namespace live2::testing {
namespace {

namespace json = boost::json;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server = new ServerProcess();
    server->start();
    key = new std::string(server->create_key("carol"));
  }
  static void TearDownTestSuite() {
    delete server;
    delete key;
  }

  CommandOutput live2(std::vector<std::string> args) {
    args.insert(args.begin(), (binary_dir() / "live2").string());
    return run_command(args, {{"LIVE2_URL", server->base_url()}, {"LIVE2_API_KEY", *key}});
  }

  static ServerProcess* server;
  static std::string* key;
};

ServerProcess* CliTest::server = nullptr;
std::string* CliTest::key = nullptr;

TEST_F(CliTest, SubmitWaitThenDownloadEveryArtifact) {
  TempDir work("live2-cli");
  const auto params = work / "params.json";
  std::ofstream(params) << R"({"simulation_config": {"mode": "open_chemistry", "config": {"num_particles": 10}}})";
  CommandOutput submitted = live2({"submit", "-f", params.string(), "--particles", "48", "--steps", "300",
                                   "--set", "seed=11", "--wait", "--json"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.stderr_text << submitted.stdout_text << server->log_text();
  const json::object job = json::parse(submitted.stdout_text).as_object();
  EXPECT_EQ(job.at("status").as_string(), "completed");
  const auto& config = job.at("params").at("simulation_config").at("config");
  EXPECT_EQ(config.at("num_particles").as_int64(), 48) << "flags override the file";
  EXPECT_EQ(config.at("seed").as_int64(), 11);
  const std::string job_id(job.at("job_id").as_string());

  CommandOutput listed = live2({"artifacts", job_id, "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  const json::array artifacts = json::parse(listed.stdout_text).at("artifacts").as_array();
  ASSERT_FALSE(artifacts.empty());

  const auto folder = work / "out";
  CommandOutput downloaded = live2({"download", job_id, "-o", folder.string()});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.stderr_text;
  for (const json::value& artifact : artifacts) {
    const auto file = folder / std::string(artifact.at("name").as_string());
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(file)), artifact.at("size").to_number<int64_t>());
  }

  CommandOutput status = live2({"status", job_id});
  ASSERT_EQ(status.exit_code, 0) << status.stderr_text;
  EXPECT_NE(status.stdout_text.find("completed"), std::string::npos) << status.stdout_text;

  CommandOutput list = live2({"list", "--status", "completed", "--all"});
  ASSERT_EQ(list.exit_code, 0) << list.stderr_text;
  EXPECT_NE(list.stdout_text.find(job_id), std::string::npos) << list.stdout_text;
}

TEST_F(CliTest, ValidationErrorsArePrintedPerFieldWithExitCodeTwo) {
  CommandOutput rejected = live2({"submit", "--steps", "0", "--temperature", "99999"});
  EXPECT_EQ(rejected.exit_code, 2) << rejected.stderr_text;
  EXPECT_NE(rejected.stderr_text.find("validation_failed"), std::string::npos) << rejected.stderr_text;
  EXPECT_NE(rejected.stderr_text.find("\n  params.simulation_config.config.steps: "), std::string::npos)
      << rejected.stderr_text;
  EXPECT_NE(rejected.stderr_text.find("\n  params.simulation_config.config.temperature: "), std::string::npos)
      << rejected.stderr_text;
}

TEST_F(CliTest, WaitOnACancelledJobExitsWithFourAndMissingJobsWithOne) {
  CommandOutput submitted = live2({"submit", "--particles", "2000", "--steps", "50000000", "--json"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.stderr_text;
  const std::string job_id(json::parse(submitted.stdout_text).at("job_id").as_string());
  CommandOutput cancelled = live2({"cancel", job_id});
  ASSERT_EQ(cancelled.exit_code, 0) << cancelled.stderr_text;
  CommandOutput watched = live2({"watch", job_id});
  EXPECT_EQ(watched.exit_code, 4) << watched.stderr_text;

  CommandOutput missing = live2({"status", "job_00000000000000000000000000"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("not_found"), std::string::npos) << missing.stderr_text;
}

}  // namespace
}  // namespace live2::testing
