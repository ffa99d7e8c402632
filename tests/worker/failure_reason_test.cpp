// A worker that fails (exit 1) ends its stderr with one reason line, `live2-sim: <sentence>`, whatever it logged
// before: the executor makes that line the job's reason (docs/sim-worker.md).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>

#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

std::string last_line(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  const size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

TEST(WorkerFailureReason, AnOutputDirectoryThatCannotBeMadeEndsWithOneReasonLine) {
  TempDir scratch("live2-worker-failure-reason");
  const std::filesystem::path blocker = scratch.path() / "a-file";
  std::ofstream(blocker) << "not a directory";
  const CompletedProcess run = run_worker_with_params_file(open_chemistry_params(R"("num_particles": 20, "steps": 10)"),
                                                           blocker / "out", scratch.path() / "process", 1);
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  const std::string reason = last_line(run.stderr_text);
  EXPECT_TRUE(reason.starts_with("live2-sim: ")) << run.stderr_text;
  EXPECT_NE(reason.find("a-file/out"), std::string::npos) << reason;  // names what failed
  EXPECT_EQ(reason.find("simulation_config"), std::string::npos) << reason;  // never the params
}

// The setup both commands share (worker/worker_setup.h): S3_BUCKET without a region is exit 1 with the reason
// line, not a bare sentence the executor would not recognise as one.
TEST(WorkerFailureReason, S3BucketWithoutARegionEndsWithOneReasonLineForRunAndCombine) {
  TempDir scratch("live2-worker-failure-reason");
  const std::filesystem::path params_file = scratch.path() / "params.json";
  std::ofstream(params_file) << open_chemistry_params(R"("num_particles": 20, "steps": 10)");
  // No region from the environment nor from a config file: AWS_REGION is cleared by ChildProcess.
  const std::map<std::string, std::string> environment = {{"S3_BUCKET", "live2-artifacts"},
                                                          {"AWS_DEFAULT_REGION", ""},
                                                          {"AWS_CONFIG_FILE", (scratch.path() / "no-config").string()}};
  for (const std::string command : {"run", "combine"}) {
    const CompletedProcess process = run_process(
        {worker_binary(), command, "--params", params_file.string(), "--out", (scratch.path() / command).string()},
        environment, scratch.path() / ("process-" + command));
    EXPECT_EQ(process.exit_code, 1) << command << ": " << process.stderr_text;
    const std::string reason = last_line(process.stderr_text);
    EXPECT_TRUE(reason.starts_with("live2-sim: S3_BUCKET is set but no AWS region is")) << command << ": " << reason;
  }
}

}  // namespace
}  // namespace live2::worker::testing
