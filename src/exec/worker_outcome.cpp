#include "exec/worker_outcome.h"
#include "worker/worker_contract.h"

#include <cstring>
#include <string_view>
#include <vector>

namespace live2 {
namespace {

// The non-empty lines of `text`, without their line ends.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// At most kMaxReasonBytes, cut at a UTF-8 character boundary and marked when cut.
std::string bounded(std::string_view line) {
  if (line.size() <= kMaxReasonBytes) return std::string(line);
  size_t cut = kMaxReasonBytes - 3;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(line.substr(0, cut)) + "\u2026";
}

std::string signal_name(int signal) {
  const char* abbreviation = ::sigabbrev_np(signal);
  return abbreviation == nullptr ? "unknown" : std::string("SIG") + abbreviation;
}

WorkerVerdict failed(std::string error) { return {JobOutcome::failed, std::move(error)}; }

}  // namespace

std::optional<std::string> worker_reason(std::string_view stderr_tail) {
  const std::vector<std::string_view> lines = lines_of(stderr_tail);
  if (lines.empty() || !lines.back().starts_with(kWorkerReasonPrefix)) return std::nullopt;
  return bounded(lines.back().substr(kWorkerReasonPrefix.size()));
}

WorkerVerdict judge_finished_worker(const FinishedWorker& worker) {
  if (!worker.exit) {
    if (worker.metadata_written) return {JobOutcome::completed, {}};
    return {worker.cancel_requested ? JobOutcome::cancelled : JobOutcome::requeued, {}};
  }
  const ProcessExit& exit = *worker.exit;
  if (exit.exit_code == worker::exit_code_of(worker::WorkerExitCode::finished) && worker.metadata_written)
    return {JobOutcome::completed, {}};
  if (exit.exit_code == worker::exit_code_of(worker::WorkerExitCode::invalid_params)) {
    // One line per bad field; the first names the problem, the count says there is more.
    const std::vector<std::string_view> problems = lines_of(worker.stderr_head);
    if (problems.empty()) return failed("the worker rejected the job's parameters (exit code 64)");
    std::string reason = bounded(problems.front());
    if (problems.size() > 1) reason += " (and " + std::to_string(problems.size() - 1) + " more)";
    return failed(std::move(reason));
  }
  if (worker.cancel_requested) return {JobOutcome::cancelled, {}};
  if (exit.exit_code == worker::exit_code_of(worker::WorkerExitCode::interrupted)) return {JobOutcome::requeued, {}};
  if (exit.signal && worker.server_stopping) return {JobOutcome::requeued, {}};

  if (exit.exit_code == worker::exit_code_of(worker::WorkerExitCode::finished)) {
    return failed("the worker exited with code 0 without writing metadata.json");
  }
  if (exit.exit_code) {
    if (std::optional<std::string> reason = worker_reason(worker.stderr_tail)) return failed(std::move(*reason));
    return failed("the worker exited with code " + std::to_string(*exit.exit_code));
  }
  return failed("the worker was killed by signal " + std::to_string(exit.signal.value_or(0)) + " (" +
                signal_name(exit.signal.value_or(0)) + ")");
}

}  // namespace live2
