#include "store/job_columns.h"

#include <array>
#include <string_view>

namespace live2::store {
namespace {

// The order read_job reads in. bind_job binds by name, so a mismatch with this list fails loudly (logic_error).
constexpr std::array<std::string_view, 48> kColumns{
    "job_id",           "user_id",          "job_type",
    "status",           "progress",         "params_json",
    "created_at_ms",    "started_at_ms",    "completed_at_ms",
    "cancelled_at_ms",  "error",            "estimated_time_s",
    "eta_seconds",      "cancel_requested", "webhook_url",
    "idempotency_key",  "request_fingerprint", "particle_steps",
    "executor_kind",    "executor_submit_state", "executor_external_id",
    "executor_external_status", "executor_status_reason", "executor_attempts",
    "executor_exit_code", "executor_log_stream", "executor_status_since_ms",
    "updated_at_ms",    "output_budget_bytes", "name",
    "tags_json",        "tier",             "executor_vcpus",
    "executor_memory_mib", "cost_vcpu_hours", "cost_gb_hours",
    "cost_usd",         "executor_compute_environment", "executor_log_url",
    "runs_total",       "runs_queued",      "runs_running",
    "runs_completed",   "runs_failed",      "runs_cancelled",
    "estimated_run_time_s", "estimated_output_bytes",
    "artifacts_deleted_at_ms",
};

// "a, b, ..." or, for assignments, "a = :a, b = :b, ...".
std::string column_list(bool as_assignments, bool skip_job_id) {
  std::string out;
  for (std::string_view column : kColumns) {
    if (skip_job_id && column == "job_id") continue;
    if (!out.empty()) out += ", ";
    out += column;
    if (as_assignments) out += " = :" + std::string(column);
  }
  return out;
}

Error corrupt(const std::string& job_id, std::string_view what) {
  return Error::make(ErrorCode::unavailable,
                     "job " + job_id + " has an unreadable " + std::string(what) + " in the database");
}

}  // namespace

const std::string& job_select_list() {
  static const std::string list = column_list(false, false);
  return list;
}

const std::string& job_insert_sql() {
  static const std::string sql = [] {
    std::string parameters;
    for (std::string_view column : kColumns) parameters += (parameters.empty() ? ":" : ", :") + std::string(column);
    return "INSERT INTO jobs (" + job_select_list() + ", user_seq) VALUES (" + parameters + ", :user_seq)";
  }();
  return sql;
}

const std::string& job_update_sql() {
  static const std::string sql = "UPDATE jobs SET " + column_list(true, true) + " WHERE job_id = :job_id";
  return sql;
}

void bind_job(Statement& statement, const Job& job) {
  const ExecutorInfo& executor = job.executor;
  statement.bind(":job_id", job.job_id)
      .bind(":user_id", job.user_id)
      .bind(":job_type", job.job_type)
      .bind(":status", to_string(job.status))
      .bind(":progress", job.progress)
      .bind(":params_json", job.params_json)
      .bind(":created_at_ms", job.created_at_ms)
      .bind(":started_at_ms", job.started_at_ms)
      .bind(":completed_at_ms", job.completed_at_ms)
      .bind(":cancelled_at_ms", job.cancelled_at_ms)
      .bind(":error", job.error)
      .bind(":estimated_time_s", job.estimated_time_s)
      .bind(":eta_seconds", job.eta_seconds)
      .bind(":cancel_requested", job.cancel_requested)
      .bind(":webhook_url", job.webhook_url)
      .bind(":idempotency_key", job.idempotency_key)
      .bind(":request_fingerprint", job.request_fingerprint)
      .bind(":particle_steps", job.particle_steps)
      .bind(":executor_kind", executor.kind)
      .bind(":executor_submit_state", to_string(executor.submit_state))
      .bind(":executor_external_id", executor.external_id)
      .bind(":executor_external_status", executor.external_status)
      .bind(":executor_status_reason", executor.status_reason)
      .bind(":executor_attempts", executor.attempts)
      .bind(":executor_exit_code", executor.exit_code)
      .bind(":executor_log_stream", executor.log_stream)
      .bind(":executor_status_since_ms", executor.status_since_ms)
      .bind(":updated_at_ms", job.updated_at_ms)
      .bind(":output_budget_bytes", job.output_budget_bytes)
      .bind(":name", job.name)
      .bind(":tags_json", tags_to_json(job.tags))
      .bind(":tier", job.tier ? std::optional<std::string>(to_string(*job.tier)) : std::nullopt)
      .bind(":executor_vcpus", executor.vcpus)
      .bind(":executor_memory_mib", executor.memory_mib)
      .bind(":cost_vcpu_hours", job.cost ? std::optional<double>(job.cost->vcpu_hours) : std::nullopt)
      .bind(":cost_gb_hours", job.cost ? std::optional<double>(job.cost->gb_hours) : std::nullopt)
      .bind(":cost_usd", job.cost ? job.cost->usd : std::nullopt)
      .bind(":executor_compute_environment", executor.compute_environment)
      .bind(":executor_log_url", executor.log_url)
      .bind(":runs_total", job.runs.total)
      .bind(":runs_queued", job.runs.queued)
      .bind(":runs_running", job.runs.running)
      .bind(":runs_completed", job.runs.completed)
      .bind(":runs_failed", job.runs.failed)
      .bind(":runs_cancelled", job.runs.cancelled)
      .bind(":estimated_run_time_s", job.estimated_run_time_s)
      .bind(":estimated_output_bytes", job.estimated_output_bytes)
      .bind(":artifacts_deleted_at_ms", job.artifacts_deleted_at_ms);
}

Result<Job> read_job(const Statement& row) {
  Job job;
  int column = 0;
  job.job_id = row.text(column++);
  job.user_id = row.text(column++);
  job.job_type = row.text(column++);
  std::optional<JobStatus> status = parse_job_status(row.text(column++));
  if (!status) return corrupt(job.job_id, "status");
  job.status = *status;
  job.progress = row.real(column++);
  job.params_json = row.text(column++);
  job.created_at_ms = row.integer(column++);
  job.started_at_ms = row.optional_integer(column++);
  job.completed_at_ms = row.optional_integer(column++);
  job.cancelled_at_ms = row.optional_integer(column++);
  job.error = row.optional_text(column++);
  job.estimated_time_s = row.real(column++);
  job.eta_seconds = row.optional_real(column++);
  job.cancel_requested = row.integer(column++) != 0;
  job.webhook_url = row.optional_text(column++);
  job.idempotency_key = row.optional_text(column++);
  job.request_fingerprint = row.text(column++);
  job.particle_steps = row.integer(column++);
  ExecutorInfo& executor = job.executor;
  executor.kind = row.text(column++);
  std::optional<SubmitState> submit_state = parse_submit_state(row.text(column++));
  if (!submit_state) return corrupt(job.job_id, "executor submit state");
  executor.submit_state = *submit_state;
  executor.external_id = row.text(column++);
  executor.external_status = row.text(column++);
  executor.status_reason = row.optional_text(column++);
  executor.attempts = static_cast<int>(row.integer(column++));
  std::optional<int64_t> exit_code = row.optional_integer(column++);
  if (exit_code) executor.exit_code = static_cast<int>(*exit_code);
  executor.log_stream = row.text(column++);
  executor.status_since_ms = row.integer(column++);
  job.updated_at_ms = row.integer(column++);
  job.output_budget_bytes = row.integer(column++);
  job.name = row.optional_text(column++);
  Result<JobTags> tags = tags_from_json(row.text(column++));
  if (!tags) return corrupt(job.job_id, "tags");
  job.tags = std::move(tags).value();
  if (const std::optional<std::string> tier = row.optional_text(column++)) {
    job.tier = parse_tier(*tier);
    if (!job.tier) return corrupt(job.job_id, "tier");
  }
  executor.vcpus = row.real(column++);
  executor.memory_mib = static_cast<int>(row.integer(column++));
  const std::optional<double> vcpu_hours = row.optional_real(column++);
  const std::optional<double> gb_hours = row.optional_real(column++);
  const std::optional<double> usd = row.optional_real(column++);
  if (vcpu_hours) job.cost = JobCost{*vcpu_hours, gb_hours.value_or(0), usd};
  executor.compute_environment = row.text(column++);
  executor.log_url = row.text(column++);
  job.runs.total = row.integer(column++);
  job.runs.queued = row.integer(column++);
  job.runs.running = row.integer(column++);
  job.runs.completed = row.integer(column++);
  job.runs.failed = row.integer(column++);
  job.runs.cancelled = row.integer(column++);
  job.estimated_run_time_s = row.real(column++);
  job.estimated_output_bytes = row.integer(column++);
  job.artifacts_deleted_at_ms = row.optional_integer(column++);
  return job;
}

}  // namespace live2::store
