// SimulationParamsValidator: the API's ParamsValidator for run_simulation jobs. It applies the engine's own parameter
// rules (sim::parse_params, the same the worker applies, so the API and the worker never disagree) and sizes the
// job: particle-steps, expected wall time on `estimate_threads` threads, and the artifacts' bytes
// (worker/output_estimate.h). Immutable; thread-safe.
#pragma once

#include "core/params_validator.h"

namespace live2::worker {

class SimulationParamsValidator final : public ParamsValidator {
 public:
  explicit SimulationParamsValidator(int estimate_threads) : estimate_threads_(estimate_threads) {}
  ParamsAssessment assess(const boost::json::value& params) const override;

 private:
  int estimate_threads_;
};

}  // namespace live2::worker
