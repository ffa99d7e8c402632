#include "store/run_columns.h"

#include <array>
#include <string_view>

namespace live2::store {
namespace {

constexpr std::array<std::string_view, 14> kColumns{
    "job_id",        "run_index",       "params_json", "sweep_json", "seed",      "status",      "progress",
    "attempts",      "started_at_ms",   "completed_at_ms", "error",  "exit_code", "external_id", "updated_at_ms",
};

std::string column_list(std::string_view separator_prefix) {
  std::string out;
  for (std::string_view column : kColumns) {
    if (!out.empty()) out += ", ";
    out += std::string(separator_prefix) + std::string(column);
  }
  return out;
}

}  // namespace

const std::string& run_select_list() {
  static const std::string list = column_list("");
  return list;
}

const std::string& run_insert_sql() {
  static const std::string sql = "INSERT INTO runs (" + run_select_list() + ") VALUES (" + column_list(":") + ")";
  return sql;
}

const std::string& run_update_sql() {
  static const std::string sql = [] {
    std::string assignments;
    for (std::string_view column : kColumns) {
      if (column == "job_id" || column == "run_index") continue;
      if (!assignments.empty()) assignments += ", ";
      assignments += std::string(column) + " = :" + std::string(column);
    }
    return "UPDATE runs SET " + assignments + " WHERE job_id = :job_id AND run_index = :run_index";
  }();
  return sql;
}

void bind_run(Statement& statement, const Run& run) {
  statement.bind(":job_id", run.job_id)
      .bind(":run_index", run.index)
      .bind(":params_json", run.params_json)
      .bind(":sweep_json", run.sweep_json)
      // SQLite integers are signed: the seed's 64 bits are stored as they are.
      .bind(":seed", static_cast<int64_t>(run.seed))
      .bind(":status", to_string(run.status))
      .bind(":progress", run.progress)
      .bind(":attempts", run.attempts)
      .bind(":started_at_ms", run.started_at_ms)
      .bind(":completed_at_ms", run.completed_at_ms)
      .bind(":error", run.error)
      .bind(":exit_code", run.exit_code)
      .bind(":external_id", run.external_id)
      .bind(":updated_at_ms", run.updated_at_ms);
}

Result<Run> read_run(const Statement& row) {
  Run run;
  int column = 0;
  run.job_id = row.text(column++);
  run.index = row.integer(column++);
  run.params_json = row.text(column++);
  run.sweep_json = row.text(column++);
  run.seed = static_cast<uint64_t>(row.integer(column++));
  std::optional<JobStatus> status = parse_job_status(row.text(column++));
  if (!status) {
    return Error::make(ErrorCode::unavailable, "run " + std::to_string(run.index) + " of job " + run.job_id +
                                                   " has an unreadable status in the database");
  }
  run.status = *status;
  run.progress = row.real(column++);
  run.attempts = static_cast<int>(row.integer(column++));
  run.started_at_ms = row.optional_integer(column++);
  run.completed_at_ms = row.optional_integer(column++);
  run.error = row.optional_text(column++);
  std::optional<int64_t> exit_code = row.optional_integer(column++);
  if (exit_code) run.exit_code = static_cast<int>(*exit_code);
  run.external_id = row.text(column++);
  run.updated_at_ms = row.integer(column++);
  return run;
}

}  // namespace live2::store
