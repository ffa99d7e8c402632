// combine_dataset: the work of `live2-sim combine` (docs/sim-worker.md, "combine"). From the dataset's plan and
// its runs' artifacts (dataset_table.h) it writes dataset.csv, dataset.h5 and dataset_summary.json in `work_dir`,
// publishes them through the sink, and then metadata.json (RunMetadata format, listing the three): its presence
// at the dataset's root means "combined". Idempotent: running it again rewrites the same files (a stale
// metadata.json in `work_dir` is removed first, so it never vouches for files being rewritten). The report says
// what was combined, and which runs left metadata.json but artifacts that cannot be read. Not thread safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "base/clock.h"
#include "core/dataset_plan.h"
#include "worker/artifact_sink.h"
#include "worker/output_status.h"
#include "worker/run_metadata.h"

namespace live2::worker {

struct CombineOptions {
  const DatasetPlan* plan = nullptr;
  RunIdentity identity;  // identity.job_id is the dataset's id
  std::filesystem::path work_dir;
};

struct CombineReport {
  int64_t runs = 0;
  int64_t completed = 0;
  std::vector<std::string> damaged;  // "run 3: runs/3/summary.json is missing", one per run counted as failed so
};

OutputResult<CombineReport> combine_dataset(const CombineOptions& options, ArtifactSink& sink, const Clock& clock);

}  // namespace live2::worker
