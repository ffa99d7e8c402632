#include "exec/worker_outcome.h"

#include <gtest/gtest.h>

#include <csignal>

namespace live2 {
namespace {

FinishedWorker exited(int code) {
  FinishedWorker worker;
  worker.exit = ProcessExit{code, std::nullopt};
  return worker;
}

FinishedWorker signalled(int signal) {
  FinishedWorker worker;
  worker.exit = ProcessExit{std::nullopt, signal};
  return worker;
}

TEST(WorkerOutcome, CleanExitWithMetadataCompletesEvenWhenACancelRaced) {
  FinishedWorker worker = exited(0);
  worker.metadata_written = true;
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::completed);
  worker.cancel_requested = true;
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::completed);
}

TEST(WorkerOutcome, InvalidParametersFailWithTheWorkersMessage) {
  FinishedWorker worker = exited(64);
  worker.stderr_head = "steps: out of range\n";
  const WorkerVerdict verdict = judge_finished_worker(worker);
  EXPECT_EQ(verdict.outcome, JobOutcome::failed);
  EXPECT_EQ(verdict.error, "steps: out of range");
  worker.stderr_head.clear();
  EXPECT_EQ(judge_finished_worker(worker).error, "the worker rejected the job's parameters (exit code 64)");
}

TEST(WorkerOutcome, InterruptionIsRequeuedUnlessCancelled) {
  FinishedWorker worker = exited(75);
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::requeued);
  worker.cancel_requested = true;
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::cancelled);
}

TEST(WorkerOutcome, AnyOtherEndOfACancelledJobIsACancel) {
  for (FinishedWorker worker : {exited(1), signalled(SIGKILL), exited(0)}) {
    worker.cancel_requested = true;
    EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::cancelled);
  }
}

TEST(WorkerOutcome, SignalDuringShutdownIsRequeuedOtherwiseFailed) {
  FinishedWorker worker = signalled(SIGKILL);
  worker.server_stopping = true;
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::requeued);
  worker.server_stopping = false;
  const WorkerVerdict verdict = judge_finished_worker(worker);
  EXPECT_EQ(verdict.outcome, JobOutcome::failed);
  EXPECT_EQ(verdict.error, "the worker was killed by signal 9 (SIGKILL)");
}

TEST(WorkerOutcome, OtherExitCodesFailWithTheEndOfStderr) {
  FinishedWorker worker = exited(1);
  worker.stderr_tail = "cannot write results.h5\n";
  EXPECT_EQ(judge_finished_worker(worker).error, "the worker exited with code 1: cannot write results.h5");
  EXPECT_EQ(judge_finished_worker(exited(0)).error, "the worker exited with code 0 without writing metadata.json");
}

TEST(WorkerOutcome, WorkerOfAPreviousServerIsJudgedByItsMetadata) {
  FinishedWorker worker;  // exit status unknown
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::requeued);
  worker.cancel_requested = true;
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::cancelled);
  worker.metadata_written = true;
  EXPECT_EQ(judge_finished_worker(worker).outcome, JobOutcome::completed);
}

}  // namespace
}  // namespace live2
