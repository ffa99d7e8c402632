#include "worker/dataset_run.h"

#include <boost/json/parse.hpp>

#include "core/dataset_plan.h"
#include "core/run.h"
#include "worker/simulation_params_validator.h"

namespace live2::worker {

DatasetRunSelection select_dataset_run(const std::string& dataset_params_text, const std::string& dataset_job_id,
                                       int64_t index, const std::string& index_variable) {
  DatasetRunSelection selection;
  boost::system::error_code error;
  const boost::json::value params = boost::json::parse(dataset_params_text, error);
  if (error) {
    selection.problems.push_back("params: not valid JSON (" + error.message() + ")");
    return selection;
  }
  // The thread count only sizes estimates, which a worker does not use.
  const SimulationParamsValidator validator(1);
  Result<PlannedRun> planned = plan_run(params, validator, index);
  if (!planned) {
    if (planned.error().code == ErrorCode::invalid_input) {
      selection.problems.push_back(index_variable + ": " + planned.error().message);
    } else if (planned.error().details.empty()) {
      selection.problems.push_back("params: " + planned.error().message);
    }
    for (const FieldError& problem : planned.error().details) {
      selection.problems.push_back(problem.field + ": " + problem.message);
    }
    return selection;
  }
  selection.run = DatasetRun{index, std::move(planned->params_json), run_key(dataset_job_id, index),
                             run_artifact_prefix(index)};
  return selection;
}

}  // namespace live2::worker
