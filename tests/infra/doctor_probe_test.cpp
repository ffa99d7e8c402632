#include "infra/doctor_probe.h"

#include <gtest/gtest.h>

namespace live2::infra {
namespace {

// Plays a scripted sequence of statuses for the one submitted job.
class ScriptedBatch final : public aws::BatchApi {
 public:
  std::vector<std::string> statuses;
  aws::BatchSubmitRequest submitted;
  bool terminated = false;

  Result<aws::BatchSubmitted> submit_job(const aws::BatchSubmitRequest& request) override {
    submitted = request;
    return aws::BatchSubmitted{"batch-1", "arn:aws:batch:eu-central-1:1:job/batch-1"};
  }
  Result<std::vector<aws::BatchJob>> describe_jobs(const std::vector<std::string>& ids) override {
    aws::BatchJob job;
    job.job_id = ids.front();
    job.status = statuses.size() > 1 ? statuses[next_ < statuses.size() ? next_++ : statuses.size() - 1]
                                     : statuses.front();
    return std::vector<aws::BatchJob>{job};
  }
  Result<std::vector<aws::BatchJobSummary>> list_jobs_by_name(const std::string&, const std::string&) override {
    return std::vector<aws::BatchJobSummary>{};
  }
  Status cancel_job(const std::string&, const std::string&) override { return Status::success(); }
  Status terminate_job(const std::string&, const std::string&) override {
    terminated = true;
    return Status::success();
  }

 private:
  size_t next_ = 0;
};

class ClockSleeper final : public aws::Sleeper {
 public:
  explicit ClockSleeper(FakeClock& clock) : clock_(clock) {}
  void sleep_ms(int64_t duration_ms) override { clock_.advance_ms(duration_ms); }

 private:
  FakeClock& clock_;
};

class DoctorProbeTest : public ::testing::Test {
 protected:
  Check probe(const ListArtifacts& list) {
    return run_probe(batch, list, sleeper, clock, random, {"live2-job-queue", "live2-simulation", "bucket"});
  }
  ScriptedBatch batch;
  FakeClock clock;
  ClockSleeper sleeper{clock};
  OsRandomSource random;
};

TEST_F(DoctorProbeTest, PassesWhenTheJobSucceedsAndMetadataArrives) {
  batch.statuses = {"RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"};
  std::string listed_prefix;
  Check check = probe([&](const std::string& prefix) -> Result<std::vector<std::string>> {
    listed_prefix = prefix;
    return std::vector<std::string>{prefix + "results.h5", prefix + "metadata.json"};
  });
  EXPECT_EQ(check.status, CheckStatus::pass) << check.observed;
  EXPECT_TRUE(listed_prefix.starts_with("prod/doctor/probe_"));
  EXPECT_TRUE(batch.submitted.job_name.starts_with("live2-doctor-probe_"));
  bool has_params = false;
  for (const auto& [name, value] : batch.submitted.environment) has_params |= name == "JOB_PARAMS";
  EXPECT_TRUE(has_params);
}

TEST_F(DoctorProbeTest, FailsWithoutMetadata) {
  batch.statuses = {"SUCCEEDED"};
  Check check = probe([](const std::string& prefix) -> Result<std::vector<std::string>> {
    return std::vector<std::string>{prefix + "progress.json"};
  });
  EXPECT_EQ(check.status, CheckStatus::fail);
  EXPECT_NE(check.fix.find("job role"), std::string::npos);
}

TEST_F(DoctorProbeTest, TimesOutAndTerminatesAStuckJob) {
  batch.statuses = {"RUNNABLE"};
  Check check = probe([](const std::string&) -> Result<std::vector<std::string>> { return std::vector<std::string>{}; });
  EXPECT_EQ(check.status, CheckStatus::fail);
  EXPECT_TRUE(batch.terminated);
  EXPECT_NE(check.observed.find("RUNNABLE"), std::string::npos);
}

}  // namespace
}  // namespace live2::infra
