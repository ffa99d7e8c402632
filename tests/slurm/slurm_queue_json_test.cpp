// parse_squeue_json against output captured from Slurm 22.05 (tests/slurm/testdata: the fixture cluster's squeue
// --json with finished, running and array jobs) and the shapes later versions print.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "exec/slurm_queue_json.h"

namespace live2 {
namespace {

std::string testdata(const std::string& name) {
  std::ifstream in(std::filesystem::path(LIVE2_SLURM_TESTDATA) / name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, SlurmJob> by_id(const std::vector<SlurmJob>& jobs) {
  std::map<std::string, SlurmJob> found;
  for (const SlurmJob& job : jobs) found[job.job_id] = job;
  return found;
}

TEST(SlurmQueueJson, ReadsHowFinishedJobsEndedFromSlurm2205) {
  Result<std::vector<SlurmJob>> parsed = parse_squeue_json(testdata("squeue_22.05_finished.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  std::map<std::string, SlurmJob> jobs = by_id(*parsed);
  ASSERT_EQ(jobs.size(), 5u);
  // `exit 3`: FAILED, NonZeroExitCode, wait status 768.
  EXPECT_EQ(jobs["1"].state, "FAILED");
  EXPECT_EQ(jobs["1"].reason, "NonZeroExitCode");
  ASSERT_TRUE(jobs["1"].exit);
  EXPECT_EQ(jobs["1"].exit->exit_code, 3);
  EXPECT_FALSE(jobs["1"].exit->signal);
  EXPECT_TRUE(jobs["1"].end_time_s);
  // `kill -9 $$`: signal 9.
  ASSERT_TRUE(jobs["2"].exit);
  EXPECT_EQ(jobs["2"].exit->signal, 9);
  // scancel of a running job: CANCELLED by SIGTERM.
  EXPECT_EQ(jobs["3"].state, "CANCELLED");
  EXPECT_EQ(jobs["3"].exit->signal, 15);
  // The worker's "interrupted" exit code survives.
  EXPECT_EQ(jobs["4"].exit->exit_code, 75);
  // Running: no exit, no end time, its start time.
  EXPECT_EQ(jobs["5"].state, "RUNNING");
  EXPECT_FALSE(jobs["5"].exit);
  EXPECT_FALSE(jobs["5"].end_time_s);
  EXPECT_TRUE(jobs["5"].start_time_s);
  EXPECT_EQ(jobs["5"].name, "wrap");
}

TEST(SlurmQueueJson, NamesArrayTasksByArrayAndIndexAndKeepsThePendingRemainder) {
  Result<std::vector<SlurmJob>> parsed = parse_squeue_json(testdata("squeue_22.05_running_array.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  std::map<std::string, SlurmJob> jobs = by_id(*parsed);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs["1"].name, "live2-test");
  EXPECT_EQ(jobs["1"].array_job_id, 0);
  ASSERT_TRUE(jobs.contains("2_0"));
  EXPECT_EQ(jobs["2_0"].state, "RUNNING");
  EXPECT_EQ(jobs["2_0"].array_task_id, 0);
  // The remainder of the array is one pending record; its start time is an estimate and is not reported.
  EXPECT_EQ(jobs["2"].state, "PENDING");
  EXPECT_EQ(jobs["2"].array_task_string, "1-3%2");
  EXPECT_FALSE(jobs["2"].array_task_id);
  EXPECT_FALSE(jobs["2"].start_time_s);
}

TEST(SlurmQueueJson, ReadsTheShapesOfLaterVersions) {
  const std::string text = R"({"jobs":[
    {"job_id":7,"name":"live2-a","job_state":["FAILED"],"state_reason":"NonZeroExitCode",
     "exit_code":{"status":["EXITED"],"return_code":{"set":true,"infinite":false,"number":75}},
     "start_time":{"set":true,"infinite":false,"number":1700000000},"end_time":{"set":true,"number":1700000100},
     "restart_cnt":2,"array_job_id":{"set":true,"number":0},"array_task_id":{"set":false,"number":0}},
    {"job_id":8,"name":"live2-b","job_state":["CANCELLED"],
     "exit_code":{"status":["SIGNALED"],"return_code":{"set":true,"number":0},"signal":{"id":{"set":true,"number":15}}}}]})";
  Result<std::vector<SlurmJob>> parsed = parse_squeue_json(text);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 2u);
  const SlurmJob& failed = (*parsed)[0];
  EXPECT_EQ(failed.job_id, "7");
  EXPECT_EQ(failed.state, "FAILED");
  EXPECT_EQ(failed.exit->exit_code, 75);
  EXPECT_EQ(failed.start_time_s, 1700000000);
  EXPECT_EQ(failed.end_time_s, 1700000100);
  EXPECT_EQ(failed.restart_count, 2);
  EXPECT_FALSE(failed.array_task_id);
  EXPECT_EQ((*parsed)[1].exit->signal, 15);
}

TEST(SlurmQueueJson, RefusesTextThatIsNoQueue) {
  for (const std::string text : {"", "squeue: error: Unable to contact slurm controller", "{\"jobs\":3}", "[]"}) {
    Result<std::vector<SlurmJob>> parsed = parse_squeue_json(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::invalid_response);
  }
}

}  // namespace
}  // namespace live2
