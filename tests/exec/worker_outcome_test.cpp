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

TEST(WorkerOutcome, InvalidParametersFailWithTheFirstProblemAndACount) {
  FinishedWorker worker = exited(64);
  worker.stderr_head = "steps: out of range\n";
  const WorkerVerdict verdict = judge_finished_worker(worker);
  EXPECT_EQ(verdict.outcome, JobOutcome::failed);
  EXPECT_EQ(verdict.error, "steps: out of range");
  worker.stderr_head = "steps: out of range\ndt: must be a number\ncolour: unknown field\n";
  EXPECT_EQ(judge_finished_worker(worker).error, "steps: out of range (and 2 more)");
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

// What an unstable run of today's worker leaves on stderr: its log lines (with the whole params JSON), then the
// reason line. Before, the job's reason was all of it.
constexpr const char* kUnstableRunStderr =
    "2026-12-05T10:29:59Z info parameters: {\"simulation_config\":{\"mode\":\"open_chemistry\",\"config\":"
    "{\"num_particles\":500,\"temperature\":5000,\"dt\":0.02}}}\n"
    "2026-12-05T10:29:59Z info step 0/3000 (0.0 %), 0 particle-steps/s, ETA 1 s\n"
    "2026-12-05T10:29:59Z error failed: unstable at step 4: atoms moved more than 0.5 sigma in one step; lower dt "
    "(now 0.02) or temperature (now 5000 K)\n"
    "live2-sim: unstable at step 4: atoms moved more than 0.5 sigma in one step; lower dt (now 0.02) or temperature "
    "(now 5000 K)\n";

TEST(WorkerOutcome, AFailedRunsReasonIsTheWorkersOneLine) {
  FinishedWorker worker = exited(1);
  worker.stderr_tail = kUnstableRunStderr;
  EXPECT_EQ(judge_finished_worker(worker).error,
            "unstable at step 4: atoms moved more than 0.5 sigma in one step; lower dt (now 0.02) or temperature "
            "(now 5000 K)");
  worker.stderr_tail = "live2-sim: cannot write results.h5: No space left on device\r\n\n";
  EXPECT_EQ(judge_finished_worker(worker).error, "cannot write results.h5: No space left on device");
}

TEST(WorkerOutcome, WithoutAReasonLineTheReasonIsHowTheWorkerEnded) {
  FinishedWorker worker = exited(1);
  worker.stderr_tail = "2026-12-05T10:29:59Z info parameters: {\"simulation_config\":{}}\nSegmentation fault\n";
  EXPECT_EQ(judge_finished_worker(worker).error, "the worker exited with code 1");
  worker = signalled(SIGSEGV);
  worker.stderr_tail = kUnstableRunStderr;
  EXPECT_EQ(judge_finished_worker(worker).error, "the worker was killed by signal 11 (SIGSEGV)");
  EXPECT_EQ(judge_finished_worker(exited(0)).error, "the worker exited with code 0 without writing metadata.json");
}

TEST(WorkerOutcome, TheReasonIsBoundedAtACharacterBoundary) {
  FinishedWorker worker = exited(1);
  std::string long_reason;
  while (long_reason.size() < 2 * kMaxReasonBytes) long_reason += "\u00e9t\u00e9 ";  // two-byte characters
  worker.stderr_tail = std::string(kWorkerReasonPrefix) + long_reason + "\n";
  const std::string reason = judge_finished_worker(worker).error;
  EXPECT_LE(reason.size(), kMaxReasonBytes);
  EXPECT_TRUE(reason.ends_with("\u2026")) << reason;
  const std::string kept = reason.substr(0, reason.size() - std::string("\u2026").size());
  EXPECT_TRUE(long_reason.starts_with(kept));
  EXPECT_NE(static_cast<unsigned char>(kept.back()), 0xC3);  // not the first byte of a cut-off character
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
