// StoreTest: a fresh SQLite file in a temp dir (opened as SqliteStores), a FakeClock, and helpers to build jobs
// whose ids sort by creation.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/clock.h"
#include "core/ids.h"
#include "core/job.h"
#include "store/sqlite_stores.h"
#include "support/temp_dir.h"

namespace live2 {

class StoreTest : public ::testing::Test {
 protected:
  std::filesystem::path database_file() const { return dir_ / "live2.db"; }

  std::unique_ptr<SqliteStores> open_stores() {
    Result<std::unique_ptr<SqliteStores>> opened = SqliteStores::open(database_file(), clock_);
    if (!opened) ADD_FAILURE() << opened.error().message;
    return opened ? std::move(opened).value() : nullptr;
  }

  // A queued job created now; the clock moves on 1 ms so the next job's id sorts after this one.
  Job new_job(const std::string& user_id) {
    Job job;
    job.job_id = new_job_id(clock_.now_ms(), random_);
    job.user_id = user_id;
    job.job_type = "run_simulation";
    job.params_json = R"({"simulation_config":{"mode":"open_chemistry"}})";
    job.created_at_ms = clock_.now_ms();
    job.updated_at_ms = clock_.now_ms();
    job.estimated_time_s = 12.5;
    job.request_fingerprint = "fingerprint-of-" + job.job_id;
    job.particle_steps = 1000;
    clock_.advance_ms(1);
    return job;
  }

  // Creates the job without quotas and returns it as stored.
  Job create(SqliteJobStore& store, const Job& job) {
    Result<CreateJobOutcome> outcome = store.create_job(job, JobQuota{}, clock_.now_ms());
    EXPECT_TRUE(outcome.ok()) << (outcome ? "" : outcome.error().message);
    return outcome ? outcome->job : job;
  }

  testing::TempDir dir_{"live2-store"};
  FakeClock clock_;
  OsRandomSource random_;
};

}  // namespace live2
