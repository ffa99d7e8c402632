// The worker's run of a dataset (docs/sim-worker.md, "One run of a dataset"): given the dataset's params and a run
// index (RUN_INDEX, or AWS_BATCH_JOB_ARRAY_INDEX in an AWS Batch array child), the run's own params, name and
// artifact place. The run is core's plan_run, so a worker and the executor that planned the dataset agree on every
// run's params and seed. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace live2::worker {

struct DatasetRun {
  int64_t index = 0;
  std::string params_json;      // a run_simulation job's params
  std::string job_id;           // run_key: "<dataset id>:<index>", the identity in its metadata.json
  std::string artifact_prefix;  // "runs/<index>/", below the dataset's prefix or --out directory
};

// Nullopt with one line per problem: the params are not a valid dataset (each line names its field, as
// validate_params_text's do), or the index is outside the dataset (the line names `index_variable`).
struct DatasetRunSelection {
  std::optional<DatasetRun> run;
  std::vector<std::string> problems;
};
DatasetRunSelection select_dataset_run(const std::string& dataset_params_text, const std::string& dataset_job_id,
                                       int64_t index, const std::string& index_variable);

}  // namespace live2::worker
