// A generate_dataset submission's `params` expanded into its runs. The params are
//   {"simulation_config": {...the base, as in run_simulation...},
//    "sweep": {"temperature": [300, 450], "composition.C": [0.1, 0.2]},   // optional; dotted for nested fields
//    "replicas": 3}                                                         // optional, default 1
// and the runs are the grid (product) of the sweep's lists, in the order the fields are given (the last field
// varies fastest), times `replicas` (innermost): run index = point x replicas + replica. Each run's params are a
// run_simulation job's params: the base with the point's values set under simulation_config.config and a seed
// derived from the base seed and the run index (distinct for every run). Every grid point is judged by the one
// ParamsValidator before anything is accepted; a problem a swept value causes is reported on that sweep entry
// (`params.sweep.temperature[2]`). Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "core/params_validator.h"
#include "core/run.h"

namespace live2 {

// Absolute bounds, whatever the tier: Batch array jobs hold at most 10,000 children.
inline constexpr int64_t kMaxDatasetRuns = 10'000;
inline constexpr size_t kMaxSweepFields = 8;
inline constexpr int64_t kMaxReplicas = 10'000;

struct PlannedRun {
  int64_t index = 0;
  std::string params_json;  // a run_simulation job's params
  std::string sweep_json;   // this run's swept values, {"temperature": 300, "composition.C": 0.1}
  uint64_t seed = 0;
};

struct DatasetPlan {
  std::vector<std::string> sweep_fields;  // in the order given
  int64_t replicas = 1;
  std::vector<PlannedRun> runs;
  // Sums over the runs (the tier's limits apply to them), and the largest single run.
  int64_t particle_steps = 0;
  int64_t output_bytes = 0;
  double run_time_s = 0;           // the runs' estimated wall times added up
  double longest_run_time_s = 0;
  std::string size_field;          // as ParamsAssessment's, prefixed with "params."
  std::string output_field;
};

// The seed of run `index`: a bijection of base_seed + index (splitmix64), so every run of a dataset has its own.
uint64_t run_seed(uint64_t base_seed, int64_t index);

// Errors: `validation_failed` (422) with a detail per problem, each naming its field below the request
// (`params.sweep...`, `params.replicas`, `params.simulation_config...`), and for more than `max_runs` runs.
Result<DatasetPlan> plan_dataset(const boost::json::value& params, const ParamsValidator& validator, int64_t max_runs);

// Run `index` of the dataset, exactly plan_dataset(params, validator, kMaxDatasetRuns)->runs[index], without
// building the grid: what a worker given the dataset's params and its run index (RUN_INDEX, an AWS Batch array
// child's AWS_BATCH_JOB_ARRAY_INDEX) runs. Judges only grid point 0 (the seeds derive from its) and the run's own.
// Errors: as plan_dataset's for those points; `invalid_input` when `index` is not in [0, runs) (the message says
// the range).
Result<PlannedRun> plan_run(const boost::json::value& params, const ParamsValidator& validator, int64_t index);

// The plan's runs as the dataset `job_id` stores them at submit: queued, updated at `now_ms`.
std::vector<Run> queued_runs(const DatasetPlan& plan, const std::string& job_id, int64_t now_ms);

}  // namespace live2
