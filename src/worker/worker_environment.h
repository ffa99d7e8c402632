// The worker's inputs besides the command line: the environment as AWS Batch (or the local executor) sets it
// (docs/simulation-contract.md, "Worker contract"), and the job's params text, which comes from --params FILE,
// else JOB_PARAMS, else params.json fetched through the sink (where the executor puts params too large for the
// environment). Validation of the params is parse_params' job; this file only finds and reads them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/environment.h"
#include "sim/params.h"
#include "worker/artifact_sink.h"
#include "worker/output_status.h"

namespace live2::worker {

struct WorkerEnvironment {
  std::string job_id;                     // JOB_ID
  std::string user_id;                    // USER_ID
  std::optional<std::string> job_params;  // JOB_PARAMS
  std::string s3_bucket;                  // S3_BUCKET; empty means "write to the local --out directory"
  std::string env = "prod";               // ENV
  std::string artifact_prefix;            // ARTIFACT_PREFIX, default "{ENV}/{USER_ID}/{JOB_ID}/"
  std::string aws_region;                 // AWS_REGION
  std::string batch_job_id;               // AWS_BATCH_JOB_ID
  int attempt = 1;                        // AWS_BATCH_JOB_ATTEMPT (1-based); 1 when unset or not a positive integer
  int64_t output_budget_bytes = 0;        // OUTPUT_BUDGET_BYTES: the most the artifacts may take; 0 when unset
  int threads = 0;                        // WORKER_THREADS (1..1024): the default of --threads; 0 when unset
  std::optional<int64_t> run_index;       // RUN_INDEX, else AWS_BATCH_JOB_ARRAY_INDEX: one run of a dataset
  std::string run_index_variable;         // the variable run_index came from, for messages
  std::vector<std::string> problems;      // malformed variables (a budget or thread count that is no positive
                                          // integer, a run index that is no integer >= 0)
};

WorkerEnvironment read_worker_environment(const Environment& environment);

// The params JSON text from the first source that has it; fails when none has, or the file cannot be read.
OutputResult<std::string> read_params_text(const std::optional<std::filesystem::path>& params_file,
                                           const WorkerEnvironment& environment, ArtifactSink& sink,
                                           const std::filesystem::path& fetch_destination);

// Parses and validates params text. On failure, one line per problem, each naming the field from the job's
// root ("params.simulation_config.config.steps: must be between 1 and 1000000000").
struct ValidatedParams {
  std::optional<sim::SimulationConfig> config;
  std::vector<std::string> problems;
};
ValidatedParams validate_params_text(const std::string& text);

}  // namespace live2::worker
