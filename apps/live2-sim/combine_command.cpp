// `live2-sim combine`: combines a dataset's runs into dataset.csv, dataset.h5 and dataset_summary.json
// (worker/dataset_combiner.h). The dataset's params and id come as for `run`; its runs come from the plan
// (core/dataset_plan.h) judged by the same validator as the API's. Exit 64 for params that are no dataset's (one
// line per problem), 1 for anything else with `live2-sim: <sentence>` as the last stderr line, 0 when combined.
#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "base/clock.h"
#include "base/environment.h"
#include "commands.h"
#include "core/dataset_plan.h"
#include "worker/dataset_combiner.h"
#include "worker/simulation_params_validator.h"
#include "worker/worker_contract.h"
#include "worker/worker_setup.h"

namespace live2::sim::cli {
namespace {

using namespace live2::worker;

int invalid(const std::string& line) {
  fmt::print(stderr, "{}\n", line);
  return static_cast<int>(WorkerExitCode::invalid_params);
}

int failed(std::string message) {
  std::replace(message.begin(), message.end(), '\n', ' ');
  fmt::print(stderr, "live2-sim: {}\n", message);
  return static_cast<int>(WorkerExitCode::failed);
}

}  // namespace

int combine_command(const CombineArguments& arguments) {
  std::variant<WorkerSetup, WorkerExitCode> setup = set_up_worker(process_environment(), arguments.out_dir);
  if (const WorkerExitCode* setup_failed = std::get_if<WorkerExitCode>(&setup)) return exit_code_of(*setup_failed);
  const auto& [environment, sinks] = std::get<WorkerSetup>(setup);
  const std::unique_ptr<ArtifactSink> sink = sinks.make_sink("");

  OutputResult<std::string> params_text =
      read_params_text(arguments.params_file, environment, *sink, sinks.out_dir() / artifact::kParams);
  if (!params_text) return invalid(params_text.message());
  boost::system::error_code parse_error;
  const boost::json::value params = boost::json::parse(params_text.value(), parse_error);
  if (parse_error) return invalid("params: not valid JSON (" + parse_error.message() + ")");
  if (!params.is_object()) return invalid("params: must be an object");
  // One thread: the estimates the validator also makes are not used here.
  const SimulationParamsValidator validator(1);
  Result<DatasetPlan> plan = plan_dataset(params, validator, kMaxDatasetRuns);
  if (!plan.ok()) {
    if (plan.error().details.empty()) return invalid(plan.error().message);
    for (const FieldError& detail : plan.error().details) fmt::print(stderr, "{}: {}\n", detail.field, detail.message);
    return static_cast<int>(WorkerExitCode::invalid_params);
  }

  CombineOptions options;
  options.plan = &*plan;
  options.identity = RunIdentity{environment.job_id, environment.user_id, environment.batch_job_id, environment.attempt};
  options.work_dir = sinks.out_dir();
  SystemClock clock;
  try {
    OutputResult<CombineReport> combined = combine_dataset(options, *sink, clock);
    if (!combined) return failed(combined.message());
    for (const std::string& damaged : combined.value().damaged) {
      fmt::print(stderr, "counted as failed: {}\n", damaged);
    }
    fmt::print(stderr, "combined {} runs ({} completed)\n", combined.value().runs, combined.value().completed);
  } catch (const std::exception& error) {
    return failed(error.what());
  }
  return static_cast<int>(WorkerExitCode::finished);
}

}  // namespace live2::sim::cli
