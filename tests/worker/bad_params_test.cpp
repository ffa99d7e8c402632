// Invalid params: the worker exits 64, names every bad field on its own stderr line, and writes nothing.
#include <gtest/gtest.h>

#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

bool has_line_starting_with(const std::vector<std::string>& lines, const std::string& prefix) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.starts_with(prefix); });
}

TEST(WorkerBadParams, EveryBadFieldIsNamedAndNothingIsWritten) {
  TempDir scratch("live2-worker-bad-params");
  const std::filesystem::path out = scratch.path() / "out";
  const CompletedProcess run = run_worker_with_params_file(
      open_chemistry_params(R"("steps": 0, "num_particles": "many", "temperature": 99999, "bogus": 1)"), out,
      scratch.path() / "process", 1);
  EXPECT_EQ(run.exit_code, 64);
  const std::vector<std::string> lines = lines_of(run.stderr_text);
  EXPECT_TRUE(has_line_starting_with(lines, "params.simulation_config.config.steps: ")) << run.stderr_text;
  EXPECT_TRUE(has_line_starting_with(lines, "params.simulation_config.config.num_particles: ")) << run.stderr_text;
  EXPECT_TRUE(has_line_starting_with(lines, "params.simulation_config.config.temperature: ")) << run.stderr_text;
  EXPECT_TRUE(has_line_starting_with(lines, "params.simulation_config.config.bogus: ")) << run.stderr_text;
  EXPECT_EQ(lines.size(), 4u) << run.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(WorkerBadParams, ParamsThatAreNotJsonAreRejected) {
  TempDir scratch("live2-worker-bad-json");
  const std::filesystem::path out = scratch.path() / "out";
  const CompletedProcess run = run_process({worker_binary(), "run", "--out", out.string()},
                                           {{"JOB_PARAMS", "{\"simulation_config\": "}}, scratch.path() / "process");
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_TRUE(run.stderr_text.starts_with("params: not valid JSON")) << run.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(WorkerBadParams, MissingParamsAreRejected) {
  TempDir scratch("live2-worker-no-params");
  const std::filesystem::path out = scratch.path() / "out";
  const CompletedProcess run = run_process({worker_binary(), "run", "--out", out.string()}, {}, scratch.path() / "process");
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_TRUE(run.stderr_text.starts_with("params: none given")) << run.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(WorkerBadParams, MissingModeIsNamed) {
  TempDir scratch("live2-worker-no-mode");
  const std::filesystem::path out = scratch.path() / "out";
  const CompletedProcess run =
      run_worker_with_params_file(R"({"simulation_config": {"config": {}}})", out, scratch.path() / "process", 1);
  EXPECT_EQ(run.exit_code, 64);
  EXPECT_TRUE(run.stderr_text.starts_with("params.simulation_config.mode: ")) << run.stderr_text;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace live2::worker::testing
