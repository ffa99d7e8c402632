// PosixProcessLauncher with real processes: arguments, environment, output files, process groups, the death
// signal tied to the launching thread, and recognising a job's worker through /proc.
#include "exec/posix_process_launcher.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <csignal>
#include <fstream>
#include <thread>

#include "exec/executor_fixture.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::eventually;

// Gone, or a zombie nobody has reaped yet (as happens to orphans in containers without an init).
bool process_gone(int64_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t comm_end = text.rfind(')');
  return text.empty() || comm_end == std::string::npos || text.substr(comm_end + 2, 1) == "Z";
}

class PosixProcessLauncherTest : public ::testing::Test {
 protected:
  ProcessSpec shell(const std::string& script) const {
    ProcessSpec spec;
    spec.executable = "/bin/sh";
    spec.arguments = {"-c", script};
    spec.working_directory = temp_.path();
    spec.stdout_file = temp_ / "stdout.log";
    spec.stderr_file = temp_ / "stderr.log";
    return spec;
  }

  ProcessSpec fake_worker(const std::string& job_id, const std::string& params) const {
    ProcessSpec spec = shell("");
    spec.executable = LIVE2_FAKE_WORKER;
    spec.arguments = {"run", "--out", (temp_ / "out").string(), "--threads", "1"};
    spec.environment = {{"JOB_ID", job_id}, {"JOB_PARAMS", params}};
    return spec;
  }

  void wait_until_started() const {
    EXPECT_TRUE(eventually([&] { return fs::exists(temp_ / "out" / ".attempts"); }));
  }

  // Waits for the child's exit (reaping it).
  std::optional<ProcessExit> wait_exit(int64_t pid, std::chrono::milliseconds timeout = 10s) {
    std::optional<ProcessExit> exit;
    eventually(
        [&] {
          auto waited = launcher_.try_wait(pid);
          if (waited) exit = *waited;
          return !waited || exit.has_value();
        },
        timeout);
    return exit;
  }

  testing::TempDir temp_{"live2-launcher-test"};
  PosixProcessLauncher launcher_;
};

TEST_F(PosixProcessLauncherTest, RunsWithArgumentsEnvironmentDirectoryAndOutputFiles) {
  ::setenv("LIVE2_TEST_INHERITED", "inherited", 1);
  ::setenv("LIVE2_TEST_REMOVED", "should not be seen", 1);
  ProcessSpec spec = shell(R"(echo "$GREETING $LIVE2_TEST_INHERITED ${LIVE2_TEST_REMOVED-removed}"; pwd; )"
                           R"(echo oops >&2; exit 3)");
  spec.environment = {{"GREETING", "hello"}};
  spec.unset_environment = {"LIVE2_TEST_REMOVED"};
  auto pid = launcher_.launch(spec);
  ASSERT_TRUE(pid.ok()) << pid.error().message;

  const auto exit = wait_exit(*pid);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_EQ(testing::read_whole_file(temp_ / "stdout.log"), "hello inherited removed\n" + fs::canonical(temp_.path()).string() + "\n");
  EXPECT_EQ(testing::read_whole_file(temp_ / "stderr.log"), "oops\n");
}

TEST_F(PosixProcessLauncherTest, MissingProgramIsAnError) {
  ProcessSpec spec = shell("");
  spec.executable = (temp_ / "no-such-program").string();
  auto pid = launcher_.launch(spec);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.error().message.find("No such file"), std::string::npos) << pid.error().message;
}

TEST_F(PosixProcessLauncherTest, TryWaitDoesNotBlock) {
  auto pid = launcher_.launch(shell("sleep 0.3"));
  ASSERT_TRUE(pid.ok());
  const auto before = std::chrono::steady_clock::now();
  auto waited = launcher_.try_wait(*pid);
  ASSERT_TRUE(waited.ok());
  EXPECT_FALSE(waited->has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - before, 100ms);
  EXPECT_EQ(wait_exit(*pid)->exit_code, 0);
}

TEST_F(PosixProcessLauncherTest, SignalReachesTheWholeProcessGroup) {
  auto pid = launcher_.launch(shell("sleep 30 & echo $! > grandchild.pid; wait"));
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(eventually([&] { return testing::read_whole_file(temp_ / "grandchild.pid").ends_with("\n"); }));
  const int64_t grandchild = std::stoll(testing::read_whole_file(temp_ / "grandchild.pid"));

  ASSERT_TRUE(launcher_.signal_group(*pid, SIGTERM).ok());
  const auto exit = wait_exit(*pid);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->signal, SIGTERM);
  EXPECT_TRUE(eventually([&] { return process_gone(grandchild); }));
  EXPECT_TRUE(launcher_.signal_group(*pid, SIGTERM).ok()) << "signalling a finished group is not an error";
}

TEST_F(PosixProcessLauncherTest, ChildGetsSigtermWhenTheLaunchingThreadEnds) {
  Result<int64_t> pid = Error::make(ErrorCode::internal, "not launched");
  std::thread([&] {
    pid = launcher_.launch(fake_worker("job_pdeathsig", R"({"steps": 100000})"));
    wait_until_started();  // its SIGTERM handler is in place
  }).join();
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  const auto exit = wait_exit(*pid);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 75) << "the worker should have checkpointed on SIGTERM";
  EXPECT_NE(testing::read_whole_file(temp_ / "out" / "simulation.log").find("checkpoint written"), std::string::npos);
}

TEST_F(PosixProcessLauncherTest, WorkerSeesSigtermEvenIfTheServerThreadBlocksIt) {
  Result<int64_t> pid = Error::make(ErrorCode::internal, "not launched");
  std::thread launching([&] {
    sigset_t blocked;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &blocked, nullptr);
    pid = launcher_.launch(fake_worker("job_masked", R"({"steps": 100000})"));
    wait_until_started();  // the launching thread lives on: its death signal is not what stops the worker
    if (pid) {
      EXPECT_TRUE(launcher_.signal_group(*pid, SIGTERM).ok());
    }
  });
  launching.join();
  ASSERT_TRUE(pid.ok());
  const auto exit = wait_exit(*pid);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 75);
}

TEST_F(PosixProcessLauncherTest, RecognisesTheWorkerOfAJobUntilItEnds) {
  ProcessSpec spec = shell("sleep 30");
  spec.environment = {{"JOB_ID", "job_recognised"}};
  auto pid = launcher_.launch(spec);
  ASSERT_TRUE(pid.ok());
  EXPECT_TRUE(launcher_.is_worker_of_job(*pid, "job_recognised"));
  EXPECT_FALSE(launcher_.is_worker_of_job(*pid, "job_recognise"));
  EXPECT_FALSE(launcher_.is_worker_of_job(*pid, "job_other"));
  EXPECT_EQ(launcher_.find_worker_of_job("job_recognised"), *pid);
  EXPECT_EQ(launcher_.find_worker_of_job("job_nobody"), std::nullopt);

  ASSERT_TRUE(launcher_.signal_group(*pid, SIGKILL).ok());
  EXPECT_TRUE(eventually([&] { return !launcher_.is_worker_of_job(*pid, "job_recognised"); }))
      << "a zombie is not a living worker";
  EXPECT_EQ(wait_exit(*pid)->signal, SIGKILL);
  EXPECT_FALSE(launcher_.is_worker_of_job(*pid, "job_recognised"));
}

// A combine worker's JOB_ID is its dataset's id; the executor knows it by its worker key.
TEST_F(PosixProcessLauncherTest, RecognisesAWorkerByItsWorkerKey) {
  ProcessSpec spec = shell("sleep 30");
  spec.environment = {{"JOB_ID", "job_dataset"}, {std::string(kWorkerKeyVariable), "job_dataset:combine"}};
  auto pid = launcher_.launch(spec);
  ASSERT_TRUE(pid.ok());
  EXPECT_TRUE(launcher_.is_worker_of_job(*pid, "job_dataset:combine"));
  EXPECT_FALSE(launcher_.is_worker_of_job(*pid, "job_dataset:combin"));
  EXPECT_EQ(launcher_.find_worker_of_job("job_dataset:combine"), *pid);
  ASSERT_TRUE(launcher_.signal_group(*pid, SIGKILL).ok());
  EXPECT_EQ(wait_exit(*pid)->signal, SIGKILL);
}

}  // namespace
}  // namespace live2
