// The SlurmExecutor unit tests' fixture: a real SQLite job and run store and a local artifact store in a temp dir
// (the "shared filesystem"), FakeSlurm behind SlurmCommands, a fake clock; cycles are driven by hand.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "artifacts/local_artifact_store.h"
#include "base/clock.h"
#include "core/ids.h"
#include "exec/command_runners.h"
#include "exec/slurm_executor.h"
#include "fake_slurm.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2::testing {

namespace fs = std::filesystem;

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

inline bool has(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

class SlurmExecutorTest : public ::testing::Test {
 protected:
  SlurmExecutorTest()
      : stores_(SqliteStores::open(dir_ / "live2.db", clock_).value()),
        artifacts_(dir_ / "shared", "test", "http://127.0.0.1:9", "secret", clock_) {}

  SlurmExecutor& executor(SlurmExecutorOptions options = {}) {
    options.worker_binary = "/opt/live2/bin/live2-sim";
    options.env = "test";
    options.outcome_settle_ms = 10'000;
    executor_.emplace(store_, store_, artifacts_, commands_, clock_, options);
    return *executor_;
  }

  std::string add_job(const std::string& user_id = "usr_1",
                      const std::string& params_json = R"({"simulation_config":{"mode":"demo"}})",
                      std::optional<Tier> tier = std::nullopt) {
    Job job;
    job.tier = tier;
    job.job_id = new_job_id(clock_.now_ms(), ids_);
    job.user_id = user_id;
    job.job_type = "run_simulation";
    job.params_json = params_json;
    job.created_at_ms = clock_.now_ms();
    job.request_fingerprint = "fingerprint";
    job.output_budget_bytes = 1'000'000;
    EXPECT_TRUE(store_.create_job(job, {}, clock_.now_ms()).ok());
    clock_.advance_ms(1);
    return job.job_id;
  }

  // A generate_dataset job of `runs` runs (all queued), each a small demo run.
  std::string add_dataset(int runs, std::optional<Tier> tier = Tier::research) {
    Job job;
    job.tier = tier;
    job.job_id = new_job_id(clock_.now_ms(), ids_);
    job.user_id = "usr_1";
    job.job_type = "generate_dataset";
    job.params_json = R"({"simulation_config":{"mode":"demo"},"replicas":)" + std::to_string(runs) + "}";
    job.created_at_ms = clock_.now_ms();
    job.request_fingerprint = "fingerprint";
    job.output_budget_bytes = 1'000'000;
    job.runs.total = runs;
    job.runs.queued = runs;
    std::vector<live2::Run> planned;
    for (int index = 0; index < runs; ++index) {
      live2::Run run;
      run.job_id = job.job_id;
      run.index = index;
      run.params_json = R"({"simulation_config":{"mode":"demo"}})";
      run.sweep_json = "{}";
      run.seed = static_cast<uint64_t>(index);
      planned.push_back(run);
    }
    EXPECT_TRUE(store_.create_dataset(job, planned, {}, clock_.now_ms()).ok());
    clock_.advance_ms(1);
    return job.job_id;
  }
  live2::Run run(const std::string& id, int64_t index) { return store_.list_runs(id, index, 1).value().at(0); }

  Job job(const std::string& id) { return store_.get_job(id).value().value(); }
  int64_t slurm_id(const std::string& id) { return std::stoll(job(id).executor.external_id); }
  fs::path directory(const std::string& id) { return artifacts_.job_directory(job(id)); }
  void request_cancel(const std::string& id) {
    ASSERT_TRUE(store_.update_job(id, [](Job& current) {
      current.cancel_requested = true;
      return true;
    }).ok());
  }
  void start_running(const std::string& id) {
    FakeSlurmJob& slurm_job = slurm_.jobs.at(slurm_id(id));
    slurm_job.state = "RUNNING";
    slurm_job.reason = "None";
    slurm_job.start_time_s = 1'794'999'990;  // before the fake clock's now
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<SqliteStores> stores_;
  SqliteJobStore& store_ = stores_->jobs();
  LocalArtifactStore artifacts_;
  FakeSlurm slurm_;
  SlurmCommands commands_{slurm_};
  OsRandomSource ids_;
  std::optional<SlurmExecutor> executor_;
};

}  // namespace live2::testing
