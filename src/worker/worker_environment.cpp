#include "worker/worker_environment.h"

#include <boost/json/parse.hpp>

#include <charconv>
#include <cstdlib>

#include "worker/atomic_file.h"
#include "worker/worker_contract.h"

namespace live2::worker {
namespace {

int parse_attempt(const std::optional<std::string>& text) {
  int attempt = 0;
  if (!text) return 1;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), attempt);
  return error == std::errc() && end == text->data() + text->size() && attempt >= 1 ? attempt : 1;
}

// A budget that cannot be read must not silently become "no budget".
void read_output_budget(const std::optional<std::string>& text, WorkerEnvironment& environment) {
  if (!text) return;
  int64_t bytes = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), bytes);
  if (error != std::errc() || end != text->data() + text->size() || bytes < 1) {
    environment.problems.push_back("OUTPUT_BUDGET_BYTES: must be a positive integer, got \"" + *text + "\"");
    return;
  }
  environment.output_budget_bytes = bytes;
}

// AWS Batch sets it to the task's whole vCPUs: hardware_concurrency() in a Fargate task may count the host's.
void read_threads(const std::optional<std::string>& text, WorkerEnvironment& environment) {
  if (!text) return;
  int threads = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), threads);
  if (error != std::errc() || end != text->data() + text->size() || threads < 1 || threads > 1024) {
    environment.problems.push_back("WORKER_THREADS: must be an integer between 1 and 1024, got \"" + *text + "\"");
    return;
  }
  environment.threads = threads;
}

// Its upper bound (the dataset's runs) is known only from the params: plan_run checks it.
void read_run_index(const Environment& variables, WorkerEnvironment& environment) {
  for (const char* name : {env::kRunIndex, env::kBatchArrayIndex}) {
    const std::optional<std::string> text = environment_value(variables, name);
    if (!text) continue;
    environment.run_index_variable = name;
    int64_t index = -1;
    const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), index);
    if (error != std::errc() || end != text->data() + text->size() || index < 0) {
      environment.problems.push_back(std::string(name) + ": must be a run index (an integer from 0 to the dataset's " +
                                     "runs - 1), got \"" + *text + "\"");
      return;
    }
    environment.run_index = index;
    return;
  }
}

}  // namespace

WorkerEnvironment read_worker_environment(const Environment& variables) {
  const auto lookup = [&variables](const char* name) { return environment_value(variables, name); };
  WorkerEnvironment environment;
  environment.job_id = lookup(env::kJobId).value_or("");
  environment.user_id = lookup(env::kUserId).value_or("");
  environment.job_params = lookup(env::kJobParams);
  environment.s3_bucket = lookup(env::kS3Bucket).value_or("");
  environment.env = lookup(env::kEnv).value_or("prod");
  environment.aws_region = lookup(env::kAwsRegion).value_or("");
  environment.batch_job_id = lookup(env::kBatchJobId).value_or("");
  environment.attempt = parse_attempt(lookup(env::kBatchJobAttempt));
  read_output_budget(lookup(env::kOutputBudgetBytes), environment);
  read_threads(lookup(env::kWorkerThreads), environment);
  read_run_index(variables, environment);
  environment.artifact_prefix =
      lookup(env::kArtifactPrefix)
          .value_or(environment.env + "/" + environment.user_id + "/" + environment.job_id + "/");
  return environment;
}

OutputResult<std::string> read_params_text(const std::optional<std::filesystem::path>& params_file,
                                           const WorkerEnvironment& environment, ArtifactSink& sink,
                                           const std::filesystem::path& fetch_destination) {
  if (params_file) {
    std::optional<std::string> text = read_text_file(*params_file);
    if (!text) return OutputStatus::failure("params: cannot read " + params_file->string());
    return *text;
  }
  if (environment.job_params) return *environment.job_params;
  if (sink.fetch(artifact::kParams, fetch_destination)) {
    std::optional<std::string> text = read_text_file(fetch_destination);
    if (text) return *text;
  }
  return OutputStatus::failure("params: none given (use --params FILE, set JOB_PARAMS, or publish params.json)");
}

ValidatedParams validate_params_text(const std::string& text) {
  ValidatedParams validated;
  boost::system::error_code error;
  const boost::json::value params = boost::json::parse(text, error);
  if (error) {
    validated.problems.push_back("params: not valid JSON (" + error.message() + ")");
    return validated;
  }
  sim::ParseOutcome outcome = sim::parse_params(params);
  for (const sim::ParamError& problem : outcome.errors) {
    validated.problems.push_back("params." + problem.field + ": " + problem.message);
  }
  validated.config = std::move(outcome.config);
  return validated;
}

}  // namespace live2::worker
