// A worker that fails (exit 1) ends its stderr with one reason line, `live2-sim: <sentence>`, whatever it logged
// before: the executor makes that line the job's reason (docs/sim-worker.md).
#include <gtest/gtest.h>

#include <fstream>

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

}  // namespace
}  // namespace live2::worker::testing
