// OutputBudget: the most bytes a run's working directory may hold (OUTPUT_BUDGET_BYTES, set by the executor from
// the job's tier; docs/tiers.md). check() measures every regular file under the directory, so whatever writes the
// bytes (HDF5, CSV, checkpoint, log) is counted as it really is on disk, and says in one sentence what to change
// when the directory holds more. A budget of 0 is no budget. Not thread safe; one owner.
#pragma once

#include <cstdint>
#include <filesystem>

#include "worker/output_status.h"

namespace live2::worker {

class OutputBudget {
 public:
  OutputBudget(std::filesystem::path directory, int64_t budget_bytes);

  // Fails once the directory holds more than the budget; `step` is the step the run has reached.
  OutputStatus check(int64_t step) const;

 private:
  std::filesystem::path directory_;
  int64_t budget_bytes_;
};

// Bytes of every regular file under `directory` (0 when it does not exist).
int64_t directory_bytes(const std::filesystem::path& directory);

}  // namespace live2::worker
