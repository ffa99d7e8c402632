#include "core/job_json.h"

#include <boost/json.hpp>

#include "base/time_format.h"

namespace live2 {
namespace {

namespace json = boost::json;

json::value optional_time(const std::optional<int64_t>& unix_ms, const json::storage_ptr& storage) {
  return unix_ms ? json::value(format_iso8601_ms(*unix_ms), storage) : json::value(nullptr, storage);
}

json::value optional_text(const std::optional<std::string>& text, const json::storage_ptr& storage) {
  return text ? json::value(*text, storage) : json::value(nullptr, storage);
}

json::value text_or_null(const std::string& text, const json::storage_ptr& storage) {
  return text.empty() ? json::value(nullptr, storage) : json::value(text, storage);
}

json::value parse_or_empty(const std::string& text, const json::storage_ptr& storage) {
  boost::system::error_code error;
  json::value value = json::parse(text, error, storage);
  return error ? json::value(json::object(storage)) : value;
}

}  // namespace

json::object job_to_json(const Job& job, json::storage_ptr storage) {
  constexpr size_t kFields = 22;
  json::object out(kFields, storage);
  out["job_id"] = job.job_id;
  out["job_type"] = job.job_type;
  out["name"] = optional_text(job.name, storage);
  json::object tags(storage);
  for (const auto& [key, value] : job.tags) tags[key] = value;
  out["tags"] = std::move(tags);
  out["status"] = to_string(job.status);
  out["progress"] = job.progress;
  out["params"] = parse_or_empty(job.params_json, storage);
  out["created_at"] = format_iso8601_ms(job.created_at_ms);
  out["started_at"] = optional_time(job.started_at_ms, storage);
  out["completed_at"] = optional_time(job.completed_at_ms, storage);
  out["cancelled_at"] = optional_time(job.cancelled_at_ms, storage);
  out["error"] = optional_text(job.error, storage);
  out["estimated_time"] = job.estimated_time_s;
  out["eta_seconds"] = job.eta_seconds ? json::value(*job.eta_seconds, storage) : json::value(nullptr, storage);
  out["cancel_requested"] = job.cancel_requested;

  json::object executor(storage);
  const ExecutorInfo& info = job.executor;
  executor["kind"] = text_or_null(info.kind, storage);
  if (info.kind == "aws_batch") {
    executor["batch_job_id"] = text_or_null(info.external_id, storage);
    executor["batch_status"] = text_or_null(info.external_status, storage);
  } else if (info.kind == "slurm") {
    executor["slurm_job_id"] = text_or_null(info.external_id, storage);
    executor["slurm_state"] = text_or_null(info.external_status, storage);
  } else {
    executor["process_id"] = text_or_null(info.external_id, storage);
    executor["state"] = text_or_null(info.external_status, storage);
  }
  executor["status_reason"] = optional_text(info.status_reason, storage);
  executor["attempts"] = info.attempts;
  executor["exit_code"] = info.exit_code ? json::value(*info.exit_code, storage) : json::value(nullptr, storage);
  executor["log_stream"] = text_or_null(info.log_stream, storage);
  executor["vcpus"] = info.vcpus > 0 ? json::value(info.vcpus, storage) : json::value(nullptr, storage);
  executor["memory_mib"] = info.memory_mib > 0 ? json::value(info.memory_mib, storage) : json::value(nullptr, storage);
  executor["compute_environment"] = text_or_null(info.compute_environment, storage);
  executor["log_url"] = text_or_null(info.log_url, storage);
  out["executor"] = std::move(executor);

  if (job.cost) {
    json::object cost(storage);
    cost["vcpu_hours"] = job.cost->vcpu_hours;
    cost["gb_hours"] = job.cost->gb_hours;
    cost["usd"] = job.cost->usd ? json::value(*job.cost->usd, storage) : json::value(nullptr, storage);
    out["cost"] = std::move(cost);
  } else {
    out["cost"] = nullptr;
  }
  out["webhook_url"] = optional_text(job.webhook_url, storage);
  const std::string self = "/api/v1/jobs/" + job.job_id;
  json::object links({{"self", self},
                      {"artifacts", self + "/artifacts"},
                      {"events", self + "/events"},
                      {"logs", self + "/logs"},
                      {"metrics", self + "/metrics"},
                      {"cancel", self + "/cancel"}},
                     storage);
  if (job.job_type == "generate_dataset") {
    const RunCounts& runs = job.runs;
    out["runs"] = json::object({{"total", runs.total},
                                {"queued", runs.queued},
                                {"running", runs.running},
                                {"completed", runs.completed},
                                {"failed", runs.failed},
                                {"cancelled", runs.cancelled}},
                               storage);
    out["estimate"] = json::object({{"particle_steps", job.particle_steps},
                                    {"output_bytes", job.estimated_output_bytes},
                                    {"run_time_s", job.estimated_run_time_s},
                                    {"wall_time_s", job.estimated_time_s}},
                                   storage);
  }
  out["links"] = std::move(links);
  return out;
}

}  // namespace live2
