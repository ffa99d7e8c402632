// ParamsValidator: the job type's own rules for a submission's `params` object. Core validates the job envelope
// (job type, idempotency key, webhook URL, tier limits) but not a simulation's parameters: those rules live with the
// engine, and the worker knows what a run writes. The server passes the real one
// (worker/simulation_params_validator.h); tests may pass their own. Implementations are pure and thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace live2 {

struct ParamsAssessment {
  std::vector<FieldError> errors;  // every problem; each field is a path below `params` ("simulation_config.steps")
  // The job's size, meaningful only without errors.
  std::string size_field;       // the object whose fields set the size ("simulation_config.config")
  int64_t particle_steps = 0;   // num_particles x steps
  double estimated_time_s = 0;  // expected wall time on the server's worker threads
  int64_t output_bytes = 0;     // the artifacts' estimated size
  std::string output_field;     // the field below size_field that shrinks the artifacts most
  std::string output_hint;      // how, in words ("its 41 snapshots take 12 bytes: raise snapshot_interval")
  uint64_t seed = 0;            // the run's random seed, given or default (a dataset derives its runs' from it)
};

class ParamsValidator {
 public:
  virtual ~ParamsValidator() = default;
  virtual ParamsAssessment assess(const boost::json::value& params) const = 0;
};

}  // namespace live2
