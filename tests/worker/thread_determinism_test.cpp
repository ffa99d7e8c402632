// The same seed gives identical results.h5 datasets and trajectory.extxyz on 1, 2 and 8 threads (docs/simulation-contract.md).
#include <gtest/gtest.h>

#include "h5_contents.h"
#include "worker_run_support.h"

namespace live2::worker::testing {
namespace {

TEST(WorkerThreads, SameSeedGivesIdenticalDatasetsOnOneTwoAndEightThreads) {
  TempDir scratch("live2-worker-threads");
  const std::string params = open_chemistry_params(
      R"("num_particles": 600, "steps": 600, "seed": 5, "analysis_interval": 100, "snapshot_interval": 200)");
  std::map<int, std::map<std::string, DatasetContent>> by_threads;
  std::map<int, std::string> trajectory_by_threads;
  for (int threads : {1, 2, 8}) {
    const std::filesystem::path out = scratch.path() / ("threads" + std::to_string(threads));
    const CompletedProcess run =
        run_worker_with_params_file(params, out, scratch.path() / ("process" + std::to_string(threads)), threads);
    ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
    by_threads[threads] = read_all_datasets(out / "results.h5");
    trajectory_by_threads[threads] = read_file_text(out / "trajectory.extxyz");
  }
  ASSERT_FALSE(by_threads[1].empty());
  for (int threads : {2, 8}) {
    ASSERT_EQ(by_threads[threads].size(), by_threads[1].size()) << threads << " threads";
    for (const auto& [path, dataset] : by_threads[1]) {
      EXPECT_TRUE(by_threads[threads].at(path) == dataset) << path << " differs on " << threads << " threads";
    }
    EXPECT_TRUE(trajectory_by_threads[threads] == trajectory_by_threads[1]) << "trajectory, " << threads << " threads";
  }
}

}  // namespace
}  // namespace live2::worker::testing
