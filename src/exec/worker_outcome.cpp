#include "exec/worker_outcome.h"

#include <cstring>

namespace live2 {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string signal_name(int signal) {
  const char* abbreviation = ::sigabbrev_np(signal);
  return abbreviation == nullptr ? "unknown" : std::string("SIG") + abbreviation;
}

WorkerVerdict failed(std::string error) { return {JobOutcome::failed, std::move(error)}; }

}  // namespace

WorkerVerdict judge_finished_worker(const FinishedWorker& worker) {
  if (!worker.exit) {
    if (worker.metadata_written) return {JobOutcome::completed, {}};
    return {worker.cancel_requested ? JobOutcome::cancelled : JobOutcome::requeued, {}};
  }
  const ProcessExit& exit = *worker.exit;
  if (exit.exit_code == kWorkerExitOk && worker.metadata_written) return {JobOutcome::completed, {}};
  if (exit.exit_code == kWorkerExitInvalidParams) {
    const std::string message = trimmed(worker.stderr_head);
    return failed(message.empty() ? "the worker rejected the job's parameters (exit code 64)" : message);
  }
  if (worker.cancel_requested) return {JobOutcome::cancelled, {}};
  if (exit.exit_code == kWorkerExitInterrupted) return {JobOutcome::requeued, {}};
  if (exit.signal && worker.server_stopping) return {JobOutcome::requeued, {}};

  std::string error;
  if (exit.exit_code == kWorkerExitOk) {
    error = "the worker exited with code 0 without writing metadata.json";
  } else if (exit.exit_code) {
    error = "the worker exited with code " + std::to_string(*exit.exit_code);
  } else {
    error = "the worker was killed by signal " + std::to_string(exit.signal.value_or(0)) + " (" +
            signal_name(exit.signal.value_or(0)) + ")";
  }
  if (const std::string detail = trimmed(worker.stderr_tail); !detail.empty()) error += ": " + detail;
  return failed(std::move(error));
}

}  // namespace live2
