#include "core/dataset_plan.h"

#include <boost/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

namespace live2 {
namespace {

namespace json = boost::json;

// Enough to show a client what to fix; the API shows the first 20 anyway.
constexpr size_t kMaxPlanErrors = 64;

bool is_field_segment(std::string_view segment) {
  if (segment.empty() || segment.size() > 64) return false;
  for (char c : segment) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    segments.emplace_back(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return segments;
    start = dot + 1;
  }
}

// Sets `path` (dotted) inside `config`, making the objects on the way. False when a part of the way is not an
// object (e.g. "temperature.x" while temperature is a number).
bool set_field(json::object& config, const std::vector<std::string>& path, const json::value& value) {
  json::object* object = &config;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    json::value& next = (*object)[path[i]];
    if (next.is_null()) next = json::object();
    if (!next.is_object()) return false;
    object = &next.get_object();
  }
  (*object)[path.back()] = value;
  return true;
}

struct SweepField {
  std::string name;
  std::vector<std::string> path;
  const json::array* values = nullptr;
};

class ErrorList {
 public:
  void add(std::string field, std::string message) {
    if (errors_.size() >= kMaxPlanErrors) return;
    if (seen_.emplace(field, message).second) errors_.push_back({std::move(field), std::move(message)});
  }
  bool full() const { return errors_.size() >= kMaxPlanErrors; }
  bool empty() const { return errors_.empty(); }
  Error to_error() && {
    Error error = Error::make(ErrorCode::validation_failed, errors_.size() == 1
                                                                ? "1 field is invalid"
                                                                : std::to_string(errors_.size()) + " fields are invalid");
    error.details = std::move(errors_);
    return error;
  }

 private:
  std::vector<FieldError> errors_;
  std::set<std::pair<std::string, std::string>> seen_;
};

void read_sweep(const json::value* sweep, std::vector<SweepField>& fields, ErrorList& errors) {
  if (!sweep || sweep->is_null()) return;
  if (!sweep->is_object()) {
    errors.add("params.sweep", "must be an object mapping a config field to a list of values");
    return;
  }
  const json::object& object = sweep->get_object();
  if (object.size() > kMaxSweepFields) {
    errors.add("params.sweep", fmt::format("may sweep at most {} fields", kMaxSweepFields));
    return;
  }
  for (const auto& member : object) {
    const std::string name(member.key());
    const std::string field = "params.sweep." + name;
    SweepField swept{name, split_path(name), nullptr};
    bool well_formed = true;
    for (const std::string& segment : swept.path) well_formed = well_formed && is_field_segment(segment);
    if (!well_formed) {
      errors.add("params.sweep", "keys must be config fields, dotted for nested ones (composition.C)");
      continue;
    }
    if (swept.path.front() == "seed") {
      errors.add(field, "cannot be swept: every run gets its own seed (use replicas)");
      continue;
    }
    if (!member.value().is_array() || member.value().get_array().empty()) {
      errors.add(field, "must be a non-empty list of values");
      continue;
    }
    swept.values = &member.value().get_array();
    for (size_t i = 0; i < swept.values->size(); ++i) {
      const json::value& value = (*swept.values)[i];
      if (!value.is_number() && !value.is_string() && !value.is_bool()) {
        errors.add(fmt::format("{}[{}]", field, i), "must be a number, a string or a boolean");
      }
    }
    fields.push_back(std::move(swept));
  }
}

int64_t read_replicas(const json::value* replicas, ErrorList& errors) {
  if (!replicas || replicas->is_null()) return 1;
  const auto count = replicas->is_int64()    ? replicas->get_int64()
                     : replicas->is_uint64() ? static_cast<int64_t>(std::min<uint64_t>(replicas->get_uint64(), INT64_MAX))
                                             : int64_t{0};
  if (count < 1 || count > kMaxReplicas) {
    errors.add("params.replicas", fmt::format("must be an integer from 1 to {}", kMaxReplicas));
    return 1;
  }
  return count;
}

int64_t saturating_add(int64_t a, int64_t b) { return a > INT64_MAX - b ? INT64_MAX : a + b; }
int64_t saturating_multiply(int64_t a, int64_t b) { return b != 0 && a > INT64_MAX / b ? INT64_MAX : a * b; }

// A validator's problem with one grid point, named after the sweep entry that caused it when one did.
void add_point_problem(const FieldError& problem, const std::vector<SweepField>& fields,
                       const std::vector<size_t>& value_indices, ErrorList& errors) {
  constexpr std::string_view kConfig = "simulation_config.config";
  const std::string_view field = problem.field;
  for (size_t f = 0; f < fields.size(); ++f) {
    const std::string path = std::string(kConfig) + "." + fields[f].name;
    // The swept field itself, something inside it, or a field it lies inside ("temperature" for "temperature.x").
    const bool inside = field.starts_with(path) && (field.size() == path.size() || field[path.size()] == '.' ||
                                                    field[path.size()] == '[');
    const bool around = field.size() > kConfig.size() && path.starts_with(field) && path[field.size()] == '.';
    if (inside || around) {
      errors.add(fmt::format("params.sweep.{}[{}]", fields[f].name, value_indices[f]), problem.message);
      return;
    }
  }
  std::string where;
  for (size_t f = 0; f < fields.size(); ++f) {
    where += fmt::format("{}{}={}", where.empty() ? "" : ", ", fields[f].name,
                         json::serialize((*fields[f].values)[value_indices[f]]));
  }
  errors.add("params." + problem.field, where.empty() ? problem.message : problem.message + " (at " + where + ")");
}


// The parts of a dataset's params every run is built from: pointers into the params, which outlive it.
struct DatasetShape {
  const json::object* base = nullptr;  // simulation_config
  std::vector<SweepField> fields;
  int64_t replicas = 1;
  int64_t points = 1;
  int64_t total_runs = 1;
};

// The params' shape; meaningful only when no error was added.
DatasetShape read_shape(const json::value& params, ErrorList& errors) {
  DatasetShape shape;
  if (!params.is_object()) {
    errors.add("params", "must be an object");
    return shape;
  }
  const json::object& object = params.get_object();
  for (const auto& member : object) {
    const std::string_view key = member.key();
    if (key != "simulation_config" && key != "sweep" && key != "replicas") {
      errors.add("params." + std::string(key), "is not a known field");
    }
  }
  const json::value* base = object.if_contains("simulation_config");
  if (!base) errors.add("params.simulation_config", "is required");
  else if (!base->is_object()) errors.add("params.simulation_config", "must be an object");
  else shape.base = &base->get_object();
  read_sweep(object.if_contains("sweep"), shape.fields, errors);
  shape.replicas = read_replicas(object.if_contains("replicas"), errors);
  for (const SweepField& field : shape.fields) {
    shape.points = saturating_multiply(shape.points, static_cast<int64_t>(field.values->size()));
  }
  shape.total_runs = saturating_multiply(shape.points, shape.replicas);
  return shape;
}

Error too_many_runs(const DatasetShape& shape, int64_t max_runs) {
  ErrorList errors;
  errors.add(shape.fields.empty() ? "params.replicas" : "params.sweep",
             fmt::format("the dataset would have {} runs, more than the {} runs per dataset allowed",
                         shape.total_runs == INT64_MAX ? std::string("too many") : std::to_string(shape.total_runs),
                         max_runs));
  return std::move(errors).to_error();
}

// Which value of each sweep field grid point `point` takes (the last field varies fastest).
std::vector<size_t> point_value_indices(const std::vector<SweepField>& fields, int64_t point) {
  std::vector<size_t> value_indices(fields.size());
  for (size_t f = fields.size(); f-- > 0;) {
    value_indices[f] = static_cast<size_t>(point % static_cast<int64_t>(fields[f].values->size()));
    point /= static_cast<int64_t>(fields[f].values->size());
  }
  return value_indices;
}

// A grid point as a run_simulation job's params (the base's seed, if any) and its swept values.
struct PointParams {
  json::value run_params;
  json::object swept;
};

// Nullopt after adding an error (a swept field inside a value that is not an object).
std::optional<PointParams> point_params(const DatasetShape& shape, const std::vector<size_t>& value_indices,
                                        ErrorList& errors) {
  const json::value* base_config = shape.base->if_contains("config");
  json::object run_config = base_config && base_config->is_object() ? base_config->get_object() : json::object();
  PointParams point;
  for (size_t f = 0; f < shape.fields.size(); ++f) {
    const json::value& value = (*shape.fields[f].values)[value_indices[f]];
    point.swept[shape.fields[f].name] = value;
    if (!set_field(run_config, shape.fields[f].path, value)) {
      errors.add(fmt::format("params.sweep.{}", shape.fields[f].name), "names a field inside a value that is not an object");
    }
  }
  if (!errors.empty()) return std::nullopt;
  json::object simulation_config = *shape.base;
  // A base config that is not an object is left for the validator to name.
  if (!base_config || base_config->is_object()) simulation_config["config"] = std::move(run_config);
  point.run_params = json::object{{"simulation_config", std::move(simulation_config)}};
  return point;
}

// Run `index` of a valid point: its params with the run's own seed.
PlannedRun planned_run(json::value& run_params, const std::string& sweep_json, int64_t index, uint64_t base_seed) {
  PlannedRun run;
  run.index = index;
  run.seed = run_seed(base_seed, index);
  run_params.get_object()["simulation_config"].get_object()["config"].get_object()["seed"] = run.seed;
  run.params_json = json::serialize(run_params);
  run.sweep_json = sweep_json;
  return run;
}
}  // namespace

uint64_t run_seed(uint64_t base_seed, int64_t index) {
  uint64_t z = base_seed + static_cast<uint64_t>(index) * 0x9e3779b97f4a7c15ULL + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Result<DatasetPlan> plan_dataset(const json::value& params, const ParamsValidator& validator, int64_t max_runs) {
  ErrorList errors;
  const DatasetShape shape = read_shape(params, errors);
  if (!errors.empty()) return std::move(errors).to_error();
  if (shape.total_runs > max_runs) return too_many_runs(shape, max_runs);
  DatasetPlan plan;
  plan.replicas = shape.replicas;
  for (const SweepField& field : shape.fields) plan.sweep_fields.push_back(field.name);

  plan.runs.reserve(static_cast<size_t>(shape.total_runs));
  uint64_t base_seed = 0;
  for (int64_t point = 0; point < shape.points && !errors.full(); ++point) {
    const std::vector<size_t> value_indices = point_value_indices(shape.fields, point);
    std::optional<PointParams> point_run = point_params(shape, value_indices, errors);
    if (!point_run) break;
    // Seeds change neither validity nor size: the point is judged once, with the base seed.
    ParamsAssessment assessment = validator.assess(point_run->run_params);
    for (const FieldError& problem : assessment.errors) add_point_problem(problem, shape.fields, value_indices, errors);
    if (!assessment.errors.empty()) continue;
    if (point == 0) {
      base_seed = assessment.seed;
      plan.size_field = "params." + assessment.size_field;
      plan.output_field = assessment.output_field;
    }
    plan.particle_steps = saturating_add(plan.particle_steps, saturating_multiply(assessment.particle_steps, plan.replicas));
    plan.output_bytes = saturating_add(plan.output_bytes, saturating_multiply(assessment.output_bytes, plan.replicas));
    plan.run_time_s += assessment.estimated_time_s * static_cast<double>(plan.replicas);
    plan.longest_run_time_s = std::max(plan.longest_run_time_s, assessment.estimated_time_s);
    if (!errors.empty()) continue;  // the plan is refused: no need to build its runs
    const std::string sweep_json = json::serialize(point_run->swept);
    for (int64_t replica = 0; replica < plan.replicas; ++replica) {
      plan.runs.push_back(planned_run(point_run->run_params, sweep_json, point * plan.replicas + replica, base_seed));
    }
  }
  if (!errors.empty()) return std::move(errors).to_error();
  return plan;
}

Result<PlannedRun> plan_run(const json::value& params, const ParamsValidator& validator, int64_t index) {
  ErrorList errors;
  const DatasetShape shape = read_shape(params, errors);
  if (!errors.empty()) return std::move(errors).to_error();
  if (shape.total_runs > kMaxDatasetRuns) return too_many_runs(shape, kMaxDatasetRuns);
  if (index < 0 || index >= shape.total_runs) {
    return Error::make(ErrorCode::invalid_input, fmt::format("must be a run index from 0 to {} (the dataset has {} runs)",
                                                             shape.total_runs - 1, shape.total_runs));
  }
  // The seeds derive from grid point 0's (as plan_dataset's do), so that point is judged too.
  const std::vector<size_t> first_indices = point_value_indices(shape.fields, 0);
  std::optional<PointParams> first = point_params(shape, first_indices, errors);
  if (!first) return std::move(errors).to_error();
  const ParamsAssessment first_assessment = validator.assess(first->run_params);
  for (const FieldError& problem : first_assessment.errors) add_point_problem(problem, shape.fields, first_indices, errors);
  const int64_t point = index / shape.replicas;
  std::optional<PointParams> own = std::move(first);
  if (point != 0) {
    const std::vector<size_t> value_indices = point_value_indices(shape.fields, point);
    own = point_params(shape, value_indices, errors);
    if (!own) return std::move(errors).to_error();
    for (const FieldError& problem : validator.assess(own->run_params).errors) {
      add_point_problem(problem, shape.fields, value_indices, errors);
    }
  }
  if (!errors.empty()) return std::move(errors).to_error();
  return planned_run(own->run_params, json::serialize(own->swept), index, first_assessment.seed);
}

std::vector<Run> queued_runs(const DatasetPlan& plan, const std::string& job_id, int64_t now_ms) {
  std::vector<Run> runs;
  runs.reserve(plan.runs.size());
  for (const PlannedRun& planned : plan.runs) {
    Run run;
    run.job_id = job_id;
    run.index = planned.index;
    run.params_json = planned.params_json;
    run.sweep_json = planned.sweep_json;
    run.seed = planned.seed;
    run.updated_at_ms = now_ms;
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace live2
