#include "core/run_json.h"

#include <boost/json.hpp>

#include "base/time_format.h"

namespace live2 {
namespace {

namespace json = boost::json;

json::value optional_time(const std::optional<int64_t>& unix_ms) {
  return unix_ms ? json::value(format_iso8601_ms(*unix_ms)) : json::value(nullptr);
}

json::value parse_or_empty(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  return error ? json::value(json::object()) : value;
}

}  // namespace

json::object run_to_json(const Run& run) {
  json::object out;
  out["index"] = run.index;
  out["status"] = to_string(run.status);
  out["progress"] = run.progress;
  out["sweep"] = parse_or_empty(run.sweep_json);
  out["seed"] = run.seed;
  out["params"] = parse_or_empty(run.params_json);
  out["attempts"] = run.attempts;
  out["started_at"] = optional_time(run.started_at_ms);
  out["completed_at"] = optional_time(run.completed_at_ms);
  out["error"] = run.error ? json::value(*run.error) : json::value(nullptr);
  out["exit_code"] = run.exit_code ? json::value(*run.exit_code) : json::value(nullptr);
  out["artifacts_prefix"] = run_artifact_prefix(run.index);
  return out;
}

json::object dataset_runs_json(const std::vector<Run>& runs) {
  json::array entries;
  entries.reserve(runs.size());
  for (const Run& run : runs) {
    entries.push_back(json::object{{"index", run.index},
                                   {"status", to_string(run.status)},
                                   {"error", run.error ? json::value(*run.error) : json::value(nullptr)}});
  }
  return {{"runs", std::move(entries)}};
}

}  // namespace live2
