// SIGTERM mid-run: the worker checkpoints and exits 75 without metadata.json; running it again on the same
// directory resumes, and the finished results.h5 holds exactly the datasets of an uninterrupted run (and
// metrics.csv, rewritten while running, ends byte-identical too).
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <thread>

#include "h5_contents.h"
#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

// Long enough (a second or more) that SIGTERM lands mid-run: the test signals at the first progress update after
// step 0, which comes at 1 % of the run.
constexpr int64_t kLongRunSteps = 3000;
const std::string kLongRun = open_chemistry_params(
    R"("num_particles": 400, "steps": 3000, "seed": 11, "analysis_interval": 250, "snapshot_interval": 1000)");

std::optional<int64_t> progress_step(const std::filesystem::path& out) {
  std::error_code error;
  if (!std::filesystem::exists(out / "progress.json", error)) return std::nullopt;
  boost::system::error_code parse_error;
  const boost::json::value progress = boost::json::parse(read_file_text(out / "progress.json"), parse_error);
  if (parse_error) return std::nullopt;
  return progress.at("step").to_number<int64_t>();
}

TEST(WorkerInterruptResume, SigtermCheckpointsAndTheRerunMatchesAnUninterruptedRun) {
  TempDir scratch("live2-worker-resume");
  const std::filesystem::path params_file = scratch.path() / "params.json";
  {
    std::ofstream(params_file) << kLongRun;
  }
  const std::filesystem::path interrupted = scratch.path() / "interrupted";
  {
    ChildProcess child({worker_binary(), "run", "--params", params_file.string(), "--out", interrupted.string(),
                        "--threads", "2"},
                       {}, scratch.path() / "stdout1.txt", scratch.path() / "stderr1.txt");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (progress_step(interrupted).value_or(0) == 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    child.send_signal(SIGTERM);
    const auto signalled = std::chrono::steady_clock::now();
    EXPECT_EQ(child.wait(30), 75) << read_file_text(scratch.path() / "stderr1.txt");
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::seconds(30));
  }
  EXPECT_TRUE(std::filesystem::exists(interrupted / "checkpoint/state.bin"));
  EXPECT_FALSE(std::filesystem::exists(interrupted / "metadata.json"));
  const int64_t stopped_at = progress_step(interrupted).value_or(-1);
  EXPECT_GT(stopped_at, 0);
  EXPECT_LT(stopped_at, kLongRunSteps);

  const CompletedProcess resumed =
      run_process({worker_binary(), "run", "--params", params_file.string(), "--out", interrupted.string(),
                   "--threads", "2"},
                  {}, scratch.path() / "resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.stderr_text;
  EXPECT_NE(read_file_text(interrupted / "simulation.log").find("resuming from the checkpoint at step " +
                                                                std::to_string(stopped_at)),
            std::string::npos);
  const boost::json::value summary = boost::json::parse(read_file_text(interrupted / "summary.json"));
  EXPECT_EQ(summary.at("resumed_from_step").to_number<int64_t>(), stopped_at);

  const std::filesystem::path uninterrupted = scratch.path() / "uninterrupted";
  const CompletedProcess whole = run_worker_with_params_file(kLongRun, uninterrupted, scratch.path() / "whole", 2);
  ASSERT_EQ(whole.exit_code, 0) << whole.stderr_text;

  const auto expected = read_all_datasets(uninterrupted / "results.h5");
  const auto actual = read_all_datasets(interrupted / "results.h5");
  EXPECT_GT(expected.size(), 12u);
  for (const auto& [path, dataset] : expected) {
    ASSERT_TRUE(actual.count(path)) << path;
    EXPECT_TRUE(actual.at(path) == dataset) << path << " differs after resume";
  }
  EXPECT_EQ(actual.size(), expected.size());
  // Text artifacts byte for byte: the trajectory rebuilt from results.h5 on resume, the species counts and the
  // reaction network (whose recrossings depend on breaks open at the stop, kept in the checkpoint).
  for (const char* name : {"metrics.csv", "trajectory.extxyz", "species_counts.csv", "reaction_network.json",
                           "reaction_network.graphml", "reactions.json", "molecules.json"}) {
    EXPECT_EQ(read_file_text(interrupted / name), read_file_text(uninterrupted / name)) << name;
  }
}

}  // namespace
}  // namespace live2::worker::testing
