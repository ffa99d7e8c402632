// LocalCommandRunner with real processes (argv reaches the program byte for byte, exit codes, the time and output
// limits) and the quoting SshCommandRunner sends to the login node's shell, checked by a real /bin/sh.
#include <gtest/gtest.h>

#include <filesystem>

#include "exec/command_runners.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

const std::string kHostile = "$(touch INJECTED)'; touch INJECTED; echo \"`touch INJECTED`\" \\ \n second line";

TEST(LocalCommandRunner, PassesEveryArgumentLiterallyWithoutAShell) {
  testing::TempDir dir;
  LocalCommandRunner runner;
  const std::string marker = (dir / "INJECTED").string();
  std::string hostile = kHostile;
  for (size_t at = hostile.find("INJECTED"); at != std::string::npos; at = hostile.find("INJECTED", at + marker.size())) {
    hostile.replace(at, 8, marker);
  }
  Result<CommandOutput> output = runner.run({"printf", "%s", hostile});
  ASSERT_TRUE(output.ok()) << output.error().message;
  EXPECT_EQ(output->exit_code, 0);
  EXPECT_EQ(output->stdout_text, hostile);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(LocalCommandRunner, ReportsExitCodesAndStderrOfAProgramThatFailed) {
  LocalCommandRunner runner;
  Result<CommandOutput> output = runner.run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->exit_code, 3);
  EXPECT_EQ(output->stdout_text, "out\n");
  EXPECT_EQ(output->stderr_text, "err\n");
  Result<CommandOutput> killed = runner.run({"sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(killed.ok());
  EXPECT_EQ(killed->exit_code, 128 + 9);
}

TEST(LocalCommandRunner, HandsTheProgramNoSecretsOfTheServersEnvironment) {
  ::setenv("AWS_SECRET_ACCESS_KEY", "server-secret", 1);
  ::setenv("LIVE2_SLURM_ACCOUNT", "lab42", 1);
  ::setenv("SLURM_CONF", "/etc/slurm-test/slurm.conf", 1);
  LocalCommandRunner runner;
  Result<CommandOutput> output = runner.run({"env"});
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ::unsetenv("LIVE2_SLURM_ACCOUNT");
  ::unsetenv("SLURM_CONF");
  ASSERT_TRUE(output.ok());
  EXPECT_EQ(output->stdout_text.find("server-secret"), std::string::npos);
  EXPECT_EQ(output->stdout_text.find("LIVE2_"), std::string::npos);
  EXPECT_NE(output->stdout_text.find("SLURM_CONF=/etc/slurm-test/slurm.conf\n"), std::string::npos);
  EXPECT_NE(output->stdout_text.find("PATH="), std::string::npos);
}

TEST(LocalCommandRunner, AMissingProgramIsUnavailable) {
  LocalCommandRunner runner;
  Result<CommandOutput> output = runner.run({"live2-no-such-program"});
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.error().code, ErrorCode::unavailable);
  EXPECT_NE(output.error().message.find("live2-no-such-program"), std::string::npos);
}

TEST(LocalCommandRunner, KillsAProgramPastItsTimeLimit) {
  LocalCommandRunner runner(CommandLimits{200, 1 << 20});
  const auto started = std::chrono::steady_clock::now();
  Result<CommandOutput> output = runner.run({"sleep", "30"});
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.error().code, ErrorCode::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(LocalCommandRunner, KillsAProgramThatPrintsMoreThanTheLimit) {
  LocalCommandRunner runner(CommandLimits{10'000, 4096});
  Result<CommandOutput> output = runner.run({"sh", "-c", "while :; do echo yyyyyyyyyyyyyyyyyyyyyyyy; done"});
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.error().code, ErrorCode::payload_too_large);
}

TEST(ShellQuoting, EveryWordReachesTheRemoteShellAsItsLiteralBytes) {
  testing::TempDir dir;
  const std::vector<std::string> words{kHostile, "it's", "", "a b", "--job-name=live2-$(id)", "\\'\"'"};
  // What ssh hands the login node's shell: the quoted words joined by spaces. A real sh must split them back.
  std::string remote = "printf '%s\\0'";
  for (const std::string& word : words) remote.append(" ").append(shell_quoted(word));
  LocalCommandRunner runner;
  Result<CommandOutput> output = runner.run({"sh", "-c", std::string("cd ") + shell_quoted(dir.path().string()) + " && " + remote});
  ASSERT_TRUE(output.ok());
  std::string expected;
  for (const std::string& word : words) expected += word + '\0';
  EXPECT_EQ(output->stdout_text, expected);
  EXPECT_FALSE(std::filesystem::exists(dir / "INJECTED"));
}

TEST(SshCommandRunner, RunsSshInBatchModeWithStrictHostKeysAndOneQuotedCommand) {
  SshCommandRunner runner(SshTarget{"live2@login", 2222, "/keys/id", "/keys/known_hosts", "ssh"});
  const std::vector<std::string> argv = runner.ssh_argv({"sbatch", "--job-name=it's"});
  const std::vector<std::string> expected{
      "ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10", "-p", "2222",
      "-o", "UserKnownHostsFile=/keys/known_hosts", "-o", "IdentitiesOnly=yes", "-i", "/keys/id",
      "--", "live2@login", "'sbatch' '--job-name=it'\\''s'"};
  EXPECT_EQ(argv, expected);
}

TEST(SshCommandRunner, AFailedConnectionIsUnavailableNotARemoteAnswer) {
  // Nothing listens on port 9: ssh itself fails (exit 255), which is no answer of the remote program.
  SshCommandRunner refused(SshTarget{"127.0.0.1", 9, "", "/dev/null", "ssh"});
  Result<CommandOutput> connection = refused.run({"squeue"});
  ASSERT_FALSE(connection.ok()) << "exit " << connection->exit_code;
  EXPECT_EQ(connection.error().code, ErrorCode::unavailable);
  EXPECT_NE(connection.error().message.find("ssh"), std::string::npos) << connection.error().message;
}

}  // namespace
}  // namespace live2
