#include "worker/output_budget.h"

#include <fmt/format.h>

#include <utility>

namespace live2::worker {

OutputBudget::OutputBudget(std::filesystem::path directory, int64_t budget_bytes)
    : directory_(std::move(directory)), budget_bytes_(budget_bytes) {}

OutputStatus OutputBudget::check(int64_t step) const {
  if (budget_bytes_ <= 0) return {};
  const int64_t used = directory_bytes(directory_);
  if (used <= budget_bytes_) return {};
  return OutputStatus::failure(fmt::format(
      "output budget exceeded at step {}: the artifacts take {} bytes, more than this job's budget of {} bytes; "
      "raise snapshot_interval or analysis_interval, or lower steps or num_particles",
      step, used, budget_bytes_));
}

int64_t directory_bytes(const std::filesystem::path& directory) {
  namespace fs = std::filesystem;
  std::error_code error;
  int64_t total = 0;
  for (fs::recursive_directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    std::error_code size_error;
    if (!it->is_regular_file(size_error)) continue;
    const uintmax_t size = it->file_size(size_error);
    if (!size_error) total += static_cast<int64_t>(size);
  }
  return total;
}

}  // namespace live2::worker
