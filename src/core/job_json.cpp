#include "core/job_json.h"

#include <boost/json.hpp>

#include "core/time_format.h"

namespace live2 {
namespace {

namespace json = boost::json;

json::value optional_time(const std::optional<int64_t>& unix_ms) {
  return unix_ms ? json::value(format_iso8601_ms(*unix_ms)) : json::value(nullptr);
}

json::value optional_text(const std::optional<std::string>& text) {
  return text ? json::value(*text) : json::value(nullptr);
}

json::value parse_or_empty(const std::string& text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  return error ? json::value(json::object()) : value;
}

}  // namespace

json::object job_to_json(const Job& job) {
  json::object out;
  out["job_id"] = job.job_id;
  out["job_type"] = job.job_type;
  out["status"] = to_string(job.status);
  out["progress"] = job.progress;
  out["params"] = parse_or_empty(job.params_json);
  out["created_at"] = format_iso8601_ms(job.created_at_ms);
  out["started_at"] = optional_time(job.started_at_ms);
  out["completed_at"] = optional_time(job.completed_at_ms);
  out["cancelled_at"] = optional_time(job.cancelled_at_ms);
  out["error"] = optional_text(job.error);
  out["estimated_time"] = job.estimated_time_s;
  out["eta_seconds"] = job.eta_seconds ? json::value(*job.eta_seconds) : json::value(nullptr);
  out["cancel_requested"] = job.cancel_requested;

  json::object executor;
  const ExecutorInfo& info = job.executor;
  executor["kind"] = info.kind.empty() ? json::value(nullptr) : json::value(info.kind);
  if (info.kind == "aws_batch") {
    executor["batch_job_id"] = info.external_id.empty() ? json::value(nullptr) : json::value(info.external_id);
    executor["batch_status"] = info.external_status.empty() ? json::value(nullptr) : json::value(info.external_status);
  } else {
    executor["process_id"] = info.external_id.empty() ? json::value(nullptr) : json::value(info.external_id);
    executor["state"] = info.external_status.empty() ? json::value(nullptr) : json::value(info.external_status);
  }
  executor["status_reason"] = optional_text(info.status_reason);
  executor["attempts"] = info.attempts;
  executor["exit_code"] = info.exit_code ? json::value(*info.exit_code) : json::value(nullptr);
  executor["log_stream"] = info.log_stream.empty() ? json::value(nullptr) : json::value(info.log_stream);
  out["executor"] = std::move(executor);

  out["webhook_url"] = optional_text(job.webhook_url);
  const std::string self = "/api/v1/jobs/" + job.job_id;
  out["links"] = json::object{{"self", self},
                              {"artifacts", self + "/artifacts"},
                              {"events", self + "/events"},
                              {"logs", self + "/logs"},
                              {"metrics", self + "/metrics"},
                              {"cancel", self + "/cancel"}};
  return out;
}

}  // namespace live2
