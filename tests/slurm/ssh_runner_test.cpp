// The ssh mode against a real OpenSSH server on loopback (sshd_fixture.sh) in front of the fixture cluster: sbatch
// over ssh with a job name that would run commands if any shell saw it unquoted, then squeue --json over ssh finds
// that job under exactly that name; a login node whose host key is not the known one is refused. Skipped with the
// fixtures' reason where they cannot run. Each ssh call costs the account's login shell on the "login node".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "exec/command_runners.h"
#include "exec/slurm_commands.h"
#include "slurm_cluster.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;

// KEY=VALUE lines of the sshd fixture's env file, or the reason it has none.
std::map<std::string, std::string> sshd_settings(std::string& unavailable) {
  const fs::path dir(LIVE2_SSHD_STATE_DIR);
  std::ifstream reason(dir / "unavailable");
  if (reason) {
    std::getline(reason, unavailable);
    return {};
  }
  std::ifstream env(dir / "env");
  if (!env) unavailable = "the sshd fixture has not run (run through ctest)";
  std::map<std::string, std::string> settings;
  for (std::string line; std::getline(env, line);) {
    const size_t equals = line.find('=');
    if (equals != std::string::npos) settings[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return settings;
}

class SshRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::SlurmCluster cluster = testing::slurm_cluster();
    if (!cluster.unavailable_reason.empty()) GTEST_SKIP() << cluster.unavailable_reason;
    std::string unavailable;
    settings_ = sshd_settings(unavailable);
    if (!unavailable.empty()) GTEST_SKIP() << unavailable;
  }
  SshTarget target() {
    return SshTarget{settings_.at("LIVE2_SLURM_SSH_HOST"), std::stoi(settings_.at("LIVE2_SLURM_SSH_PORT")),
                     settings_.at("LIVE2_SLURM_SSH_KEY"), settings_.at("LIVE2_SLURM_SSH_KNOWN_HOSTS")};
  }
  std::map<std::string, std::string> settings_;
};

TEST_F(SshRunnerTest, SubmitsAndReadsTheQueueOnTheLoginNodeWithHostileTextKeptLiteral) {
  testing::TempDir work("live2-ssh-job");
  const std::string marker = (work / "INJECTED").string();
  const std::string hostile = "live2-$(touch " + marker + ")'; touch " + marker + "; echo `touch " + marker + "`";
  std::ofstream(work / "job.sh") << "#!/bin/sh\ntrue\n";
  SshCommandRunner runner(target());
  SlurmCommands slurm(runner);
  SbatchRequest request;
  request.job_name = hostile;
  request.script_path = (work / "job.sh").string();
  request.working_directory = work.path().string();
  request.output_path = (work / ".slurm-%j.out").string();
  Result<std::string> submitted = slurm.submit(request);
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  Result<std::vector<SlurmJob>> queue = slurm.queue();
  ASSERT_TRUE(queue.ok()) << queue.error().message;
  const auto found = std::find_if(queue->begin(), queue->end(), [&](const SlurmJob& job) { return job.job_id == *submitted; });
  ASSERT_NE(found, queue->end());
  EXPECT_EQ(found->name, hostile);
  EXPECT_FALSE(fs::exists(marker));
}

TEST_F(SshRunnerTest, ALoginNodeWithAnotherHostKeyIsRefused) {
  testing::TempDir dir("live2-ssh-keys");
  const std::string port = settings_.at("LIVE2_SLURM_SSH_PORT");
  std::ofstream(dir / "known_hosts")
      << "[127.0.0.1]:" << port << " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEWvfl7T8QnXJ0rrLmb6IHr3n5jTBzPjdOcgvgBqUnxV\n";
  SshTarget impostor = target();
  impostor.known_hosts_file = (dir / "known_hosts").string();
  SshCommandRunner runner(impostor);
  Result<CommandOutput> output = runner.run({"squeue", "--json"});
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.error().code, ErrorCode::unavailable);
  EXPECT_NE(output.error().message.find("Host key verification failed"), std::string::npos) << output.error().message;
}

}  // namespace
}  // namespace live2
