// Reading the worker's progress.json (docs/simulation-contract.md: {step, steps, progress, eta_seconds, ...};
// live2-sim writes `progress` as a fraction 0..1). Pure.
#pragma once

#include <optional>
#include <string_view>

namespace live2 {

struct WorkerProgress {
  double percent = 0;                  // 0..100
  std::optional<double> eta_seconds;   // absent when the worker has no estimate yet
};

// Percent comes from step / steps when both are there (unambiguous), else from `progress` (a fraction 0..1).
// nullopt when the text is not such an object (e.g. caught half-written by a non-atomic writer).
std::optional<WorkerProgress> parse_worker_progress(std::string_view json_text);

}  // namespace live2
