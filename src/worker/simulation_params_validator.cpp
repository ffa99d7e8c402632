#include "worker/simulation_params_validator.h"

#include <fmt/format.h>

#include <cmath>

#include "sim/params.h"
#include "worker/output_estimate.h"

namespace live2::worker {
namespace {

// Why the artifacts are as large as they are, and what to change.
std::string output_hint(const OutputEstimate& estimate, std::string_view field) {
  if (field == "snapshot_interval") {
    return fmt::format("; its {} snapshots take {} bytes: raise snapshot_interval", estimate.snapshots,
                       estimate.snapshot_bytes);
  }
  if (field == "analysis_interval") {
    return fmt::format("; its {} metrics rows take {} bytes: raise analysis_interval", estimate.metrics_rows,
                       estimate.metrics_bytes);
  }
  return fmt::format(": lower {}", field);
}

}  // namespace

ParamsAssessment SimulationParamsValidator::assess(const boost::json::value& params) const {
  ParamsAssessment assessment;
  sim::ParseOutcome outcome = sim::parse_params(params);
  for (auto& problem : outcome.errors) assessment.errors.push_back({problem.field, std::move(problem.message)});
  if (!outcome.config) return assessment;
  const sim::SimulationConfig& config = *outcome.config;
  assessment.size_field = "simulation_config.config";
  assessment.particle_steps = config.num_particles * config.steps;
  assessment.estimated_time_s = std::ceil(sim::estimate_runtime_seconds(config, estimate_threads_));
  const OutputEstimate estimate = estimate_output_bytes(config);
  assessment.output_bytes = estimate.total_bytes();
  assessment.output_field = std::string(estimate.dominant_field());
  assessment.output_hint = output_hint(estimate, assessment.output_field);
  assessment.seed = config.seed;
  return assessment;
}

}  // namespace live2::worker
