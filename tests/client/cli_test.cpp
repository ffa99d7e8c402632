// The `live2` binary's client commands end to end against the real server.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>

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

  std::string job_id_of(const CommandOutput& submitted) {
    EXPECT_EQ(submitted.exit_code, 0) << submitted.stderr_text;
    return std::string(json::parse(submitted.stdout_text).at("job_id").as_string());
  }

  static bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

  static ServerProcess* server;
  static std::string* key;
};

ServerProcess* CliTest::server = nullptr;
std::string* CliTest::key = nullptr;

TEST_F(CliTest, SubmitsADatasetFromSweepFlagsListsItsRunsAndDownloadsThem) {
  CommandOutput submitted = live2({"submit", "--particles", "48", "--steps", "300", "--sweep", "temperature=300,450",
                                   "--replicas", "2", "--name", "T scan", "--wait", "--json"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.stderr_text << submitted.stdout_text << server->log_text();
  const json::object job = json::parse(submitted.stdout_text).as_object();
  EXPECT_EQ(job.at("job_type").as_string(), "generate_dataset");
  EXPECT_EQ(job.at("name").as_string(), "T scan");
  EXPECT_EQ(job.at("status").as_string(), "completed");
  EXPECT_EQ(job.at("runs").at("completed").as_int64(), 4);
  EXPECT_EQ(job.at("params").at("sweep"), json::parse(R"({"temperature":[300,450]})"));
  const std::string job_id(job.at("job_id").as_string());

  CommandOutput runs = live2({"runs", job_id});
  ASSERT_EQ(runs.exit_code, 0) << runs.stderr_text;
  EXPECT_EQ(std::count(runs.stdout_text.begin(), runs.stdout_text.end(), '\n'), 5) << runs.stdout_text;
  EXPECT_TRUE(contains(runs.stdout_text, "temperature=450")) << runs.stdout_text;
  CommandOutput failed = live2({"runs", job_id, "--status", "failed", "--json"});
  ASSERT_EQ(failed.exit_code, 0) << failed.stderr_text;
  EXPECT_TRUE(json::parse(failed.stdout_text).at("runs").as_array().empty());
  EXPECT_NE(live2({"submit", "--sweep", "temperature"}).exit_code, 0);

  // The dataset's own files by default; each run's only with --all, in runs/<index>/ as the server names them.
  TempDir work("live2-cli-dataset");
  CommandOutput own = live2({"download", job_id, "-o", (work / "own").string(), "--json"});
  ASSERT_EQ(own.exit_code, 0) << own.stderr_text;
  const json::value own_files = json::parse(own.stdout_text);  // outlives the loop (a range-for keeps no temporary)
  for (const json::value& file : own_files.at("files").as_array()) {
    EXPECT_FALSE(file.at("name").as_string().starts_with("runs/")) << file;
  }
  EXPECT_FALSE(std::filesystem::exists(work / "own" / "runs"));
  CommandOutput all = live2({"download", job_id, "-o", (work / "all").string(), "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.stderr_text;
  for (int index = 0; index < 4; ++index) {
    const auto run_folder = work / "all" / "runs" / std::to_string(index);
    EXPECT_TRUE(std::filesystem::exists(run_folder / "metadata.json")) << run_folder;
    EXPECT_TRUE(std::filesystem::exists(run_folder / "summary.json")) << run_folder;
  }
}

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

TEST_F(CliTest, UnknownCommandsAndOptionsAreNamedWithTheNearestKnownOne) {
  CommandOutput command = live2({"sumbit"});
  EXPECT_NE(command.exit_code, 0);
  EXPECT_TRUE(contains(command.stderr_text, "unknown command \"sumbit\"; did you mean \"submit\"?"))
      << command.stderr_text;
  CommandOutput unrelated = live2({"frobnicate"});
  EXPECT_NE(unrelated.exit_code, 0);
  EXPECT_TRUE(contains(unrelated.stderr_text, "unknown command \"frobnicate\"")) << unrelated.stderr_text;
  EXPECT_FALSE(contains(unrelated.stderr_text, "did you mean")) << "nothing is near: " << unrelated.stderr_text;
  CommandOutput option = live2({"submit", "--partcles", "5"});
  EXPECT_NE(option.exit_code, 0);
  EXPECT_TRUE(contains(option.stderr_text, "live2 submit: unknown option \"--partcles\"; did you mean \"--particles\"?"))
      << option.stderr_text;
  CommandOutput nested = live2({"keys", "lst"});
  EXPECT_TRUE(contains(nested.stderr_text, "live2 keys: unknown command \"lst\"; did you mean \"list\"?"))
      << nested.stderr_text;
}

TEST_F(CliTest, HelpShowsExamplesAndDefaults) {
  CommandOutput help = live2({"submit", "--help"});
  ASSERT_EQ(help.exit_code, 0) << help.stderr_text;
  EXPECT_TRUE(contains(help.stdout_text, "Examples:\n  live2 submit ")) << help.stdout_text;
  EXPECT_TRUE(contains(help.stdout_text, "(default 1000)")) << "num_particles' default: " << help.stdout_text;
  EXPECT_TRUE(contains(help.stdout_text, "miller_urey")) << help.stdout_text;
  CommandOutput list_help = live2({"list", "--help"});
  EXPECT_TRUE(contains(list_help.stdout_text, "=20")) << "--limit's default: " << list_help.stdout_text;
  CommandOutput top = live2({"--help"});
  EXPECT_TRUE(contains(top.stdout_text, "live2 submit --particles 500 --wait")) << top.stdout_text;
}

TEST_F(CliTest, PresetImpliesItsMode) {
  CommandOutput submitted = live2({"submit", "--preset", "miller_urey", "--particles", "60", "--steps", "200", "--json"});
  ASSERT_EQ(submitted.exit_code, 0) << submitted.stderr_text;
  const json::value simulation = json::parse(submitted.stdout_text).at("params").at("simulation_config");
  EXPECT_EQ(simulation.at("mode").as_string(), "preset_prebiotic");
  EXPECT_EQ(simulation.at("config").at("preset").as_string(), "miller_urey");
  CommandOutput unknown = live2({"submit", "--preset", "miler_urey"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_TRUE(contains(unknown.stderr_text, "miller_urey")) << "the choices are listed: " << unknown.stderr_text;
}

TEST_F(CliTest, JobIdsAreCheckedByTheirRuleAndAUniquePrefixIsEnough) {
  const std::string first = job_id_of(live2({"submit", "--particles", "40", "--steps", "100", "--json"}));
  const std::string second = job_id_of(live2({"submit", "--particles", "40", "--steps", "100", "--json"}));
  // The shortest prefix that names `first` alone: ids share their time part, so look for where they differ.
  size_t length = 5;
  while (length < first.size() && first.compare(0, length, second, 0, length) == 0) ++length;
  CommandOutput by_prefix = live2({"status", first.substr(0, length), "--json"});
  ASSERT_EQ(by_prefix.exit_code, 0) << by_prefix.stderr_text;
  EXPECT_EQ(json::parse(by_prefix.stdout_text).at("job_id").as_string(), first);

  CommandOutput ambiguous = live2({"status", "job_0"});
  EXPECT_EQ(ambiguous.exit_code, 2) << ambiguous.stderr_text;
  EXPECT_TRUE(contains(ambiguous.stderr_text, "more than one job id")) << ambiguous.stderr_text;

  // job_ and 8 lowercase letters and digits is a prefix no job has: not found, not "not a job id".
  CommandOutput short_id = live2({"status", "job_0mxa6vkl"});
  EXPECT_EQ(short_id.exit_code, 1) << short_id.stderr_text;
  EXPECT_TRUE(contains(short_id.stderr_text, "no job id starts with job_0mxa6vkl")) << short_id.stderr_text;
  EXPECT_FALSE(contains(short_id.stderr_text, "is not a job id")) << short_id.stderr_text;

  CommandOutput malformed = live2({"status", "job_0MXA"});
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_TRUE(contains(malformed.stderr_text, "job_ followed by 25 lowercase letters and digits"))
      << malformed.stderr_text;
}

TEST_F(CliTest, ListAndStatusShowKeyParametersRuntimeAndOutcome) {
  CommandOutput submitted = live2({"submit", "--particles", "52", "--steps", "240", "--temperature", "350", "--wait",
                                   "--json"});
  const std::string job_id = job_id_of(submitted);
  CommandOutput status = live2({"status", job_id});
  ASSERT_EQ(status.exit_code, 0) << status.stderr_text;
  EXPECT_TRUE(contains(status.stdout_text, "parameters    52 particles, 240 steps, 350 K\n")) << status.stdout_text;
  EXPECT_TRUE(contains(status.stdout_text, "\nruntime       ")) << status.stdout_text;
  CommandOutput list = live2({"list", "--limit", "100"});
  ASSERT_EQ(list.exit_code, 0) << list.stderr_text;
  EXPECT_TRUE(contains(list.stdout_text, "PARTICLES")) << list.stdout_text;
  const size_t row = list.stdout_text.find(job_id);
  ASSERT_NE(row, std::string::npos) << list.stdout_text;
  const std::string line = list.stdout_text.substr(row, list.stdout_text.find('\n', row) - row);
  EXPECT_TRUE(contains(line, " completed ")) << line;
  EXPECT_TRUE(contains(line, " 52 ")) << line;
  EXPECT_TRUE(contains(line, " 240 ")) << line;
  EXPECT_TRUE(contains(line, " 350 ")) << line;
}

TEST_F(CliTest, KeysUseTheServersDataDirAndNeverCreateAStore) {
  TempDir elsewhere("live2-cli-keys");
  const std::string live2_binary = (binary_dir() / "live2").string();
  // Run from a folder without a data dir: no store may appear there, and the message says where it looked.
  CommandOutput refused = run_command({"/bin/sh", "-c", "cd '" + elsewhere.path().string() + "' && exec '" +
                                                            live2_binary + "' keys list"});
  EXPECT_EQ(refused.exit_code, 1) << refused.stderr_text;
  EXPECT_TRUE(contains(refused.stderr_text, "no live2 database at " + (elsewhere / "data" / "live2.db").string()))
      << refused.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(elsewhere / "data")) << "keys created a store";

  // LIVE2_DATA_DIR in .env leads to the server's store, as it does for serve.
  std::ofstream(elsewhere / ".env") << "LIVE2_DATA_DIR=" << server->data_dir().string() << "\n";
  CommandOutput listed = run_command({"/bin/sh", "-c", "cd '" + elsewhere.path().string() + "' && exec '" +
                                                           live2_binary + "' keys list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  EXPECT_TRUE(contains(listed.stdout_text, "carol")) << listed.stdout_text;
}

}  // namespace
}  // namespace live2::testing
