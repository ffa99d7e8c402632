#include "core/status_machine.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

Job queued_job() {
  Job job;
  job.job_id = "job_test";
  return job;
}

TEST(StatusMachine, NormalLifecycleSetsTimestamps) {
  Job job = queued_job();
  ASSERT_TRUE(transition(job, JobStatus::running, 1000).ok());
  EXPECT_EQ(job.started_at_ms, 1000);
  raise_progress(job, 40);
  ASSERT_TRUE(transition(job, JobStatus::completed, 2000).ok());
  EXPECT_EQ(job.completed_at_ms, 2000);
  EXPECT_EQ(job.progress, 100);
  EXPECT_FALSE(job.cancelled_at_ms.has_value());
}

TEST(StatusMachine, QueuedCanBeCancelledAtOnce) {
  Job job = queued_job();
  ASSERT_TRUE(transition(job, JobStatus::cancelled, 5).ok());
  EXPECT_EQ(job.cancelled_at_ms, 5);
  EXPECT_EQ(job.completed_at_ms, 5);
  EXPECT_FALSE(job.started_at_ms.has_value());
}

TEST(StatusMachine, TerminalStatusesNeverChange) {
  for (JobStatus terminal : {JobStatus::completed, JobStatus::failed, JobStatus::cancelled}) {
    for (JobStatus to : {JobStatus::queued, JobStatus::running, JobStatus::completed, JobStatus::failed,
                         JobStatus::cancelled}) {
      Job job = queued_job();
      job.status = terminal;
      if (to == terminal) {
        EXPECT_TRUE(transition(job, to, 1).ok());
        continue;
      }
      Status status = transition(job, to, 1);
      ASSERT_FALSE(status.ok());
      EXPECT_EQ(status.error().code, ErrorCode::conflict);
      EXPECT_EQ(job.status, terminal);
    }
  }
}

TEST(StatusMachine, RunningDoesNotGoBackToQueued) {
  EXPECT_FALSE(is_allowed_transition(JobStatus::running, JobStatus::queued));
  EXPECT_TRUE(is_allowed_transition(JobStatus::queued, JobStatus::failed));
}

TEST(StatusMachine, ProgressNeverGoesBackwardsAndIsClamped) {
  Job job = queued_job();
  raise_progress(job, 50);
  raise_progress(job, 20);
  EXPECT_EQ(job.progress, 50);
  raise_progress(job, 250);
  EXPECT_EQ(job.progress, 100);
}

TEST(JobStatusNames, RoundTrip) {
  for (JobStatus status : {JobStatus::queued, JobStatus::running, JobStatus::completed, JobStatus::failed,
                           JobStatus::cancelled}) {
    EXPECT_EQ(parse_job_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_job_status("done").has_value());
}

}  // namespace
}  // namespace live2
