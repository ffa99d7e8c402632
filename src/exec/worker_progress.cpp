#include "exec/worker_progress.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace live2 {
namespace {

std::optional<double> number_field(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->to_number<double>();
}

}  // namespace

std::optional<WorkerProgress> parse_worker_progress(std::string_view json_text) {
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(json_text, error);
  if (error || !parsed.is_object()) return std::nullopt;
  const boost::json::object& object = parsed.get_object();

  WorkerProgress progress;
  const auto step = number_field(object, "step");
  const auto steps = number_field(object, "steps");
  if (step && steps && *steps > 0) {
    progress.percent = 100.0 * *step / *steps;
  } else if (const auto fraction = number_field(object, "progress")) {
    progress.percent = 100.0 * *fraction;
  } else {
    return std::nullopt;
  }
  progress.percent = std::clamp(progress.percent, 0.0, 100.0);
  if (const auto eta = number_field(object, "eta_seconds"); eta && *eta >= 0) progress.eta_seconds = *eta;
  return progress;
}

}  // namespace live2
