#include "exec/slurm_queue_json.h"

#include <boost/json.hpp>

namespace live2 {
namespace {

namespace json = boost::json;

// A number as 22.05 prints it (plain) or as later versions do ({"set": bool, "infinite": bool, "number": N}).
std::optional<int64_t> number_of(const json::value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<int64_t>(value->as_double());
  if (const json::object* wrapped = value->if_object()) {
    const json::value* set = wrapped->if_contains("set");
    const json::value* infinite = wrapped->if_contains("infinite");
    if ((set != nullptr && set->is_bool() && !set->as_bool()) ||
        (infinite != nullptr && infinite->is_bool() && infinite->as_bool())) {
      return std::nullopt;
    }
    return number_of(wrapped->if_contains("number"));
  }
  return std::nullopt;
}

std::string text_of(const json::value* value) {
  if (value == nullptr) return {};
  if (value->is_string()) return std::string(value->as_string());
  // Later versions: a list of flags, the base state first ("job_state": ["RUNNING"]).
  if (value->is_array() && !value->as_array().empty() && value->as_array().front().is_string()) {
    return std::string(value->as_array().front().as_string());
  }
  if (value->is_int64() || value->is_uint64()) return json::serialize(*value);
  return {};
}

// 22.05: the raw wait status. Later: {"status": [...], "return_code": N, "signal": {"id": N}}.
std::optional<ProcessExit> exit_of(const json::value* value) {
  if (value == nullptr) return std::nullopt;
  if (const json::object* detailed = value->if_object()) {
    const std::optional<int64_t> signal = [&]() -> std::optional<int64_t> {
      const json::value* signal_value = detailed->if_contains("signal");
      if (signal_value == nullptr || !signal_value->is_object()) return std::nullopt;
      return number_of(signal_value->as_object().if_contains("id"));
    }();
    if (signal && *signal > 0) return ProcessExit{std::nullopt, static_cast<int>(*signal)};
    const std::optional<int64_t> code = number_of(detailed->if_contains("return_code"));
    if (!code) return std::nullopt;
    return ProcessExit{static_cast<int>(*code), std::nullopt};
  }
  const std::optional<int64_t> status = number_of(value);
  if (!status) return std::nullopt;
  return exit_of_wait_status(*status);
}

// Slurm prints 0 for a time that has not happened yet.
std::optional<int64_t> time_of(const json::value* value) {
  const std::optional<int64_t> seconds = number_of(value);
  if (!seconds || *seconds <= 0) return std::nullopt;
  return seconds;
}

bool has_started(std::string_view state) { return state != "PENDING" && state != "REQUEUED" && state != "REQUEUE_HOLD"; }

}  // namespace

ProcessExit exit_of_wait_status(int64_t status) {
  const int signal = static_cast<int>(status & 0x7f);
  if (signal != 0) return ProcessExit{std::nullopt, signal};
  return ProcessExit{static_cast<int>((status >> 8) & 0xff), std::nullopt};
}

std::vector<std::pair<int64_t, int64_t>> array_task_ranges(std::string_view text) {
  text = text.substr(0, text.find('%'));
  std::vector<std::pair<int64_t, int64_t>> ranges;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string piece(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    char* end = nullptr;
    const int64_t first = std::strtoll(piece.c_str(), &end, 10);
    if (end == piece.c_str()) continue;
    const int64_t last = *end == '-' ? std::strtoll(end + 1, nullptr, 10) : first;
    if (last >= first) ranges.emplace_back(first, last);
  }
  return ranges;
}

bool slurm_job_is_under_way(std::string_view state) {
  return state == "RUNNING" || state == "COMPLETING" || state == "SUSPENDED" || state == "STOPPED" ||
         state == "SIGNALING";
}

bool slurm_interrupted_it(std::string_view state) {
  return state == "TIMEOUT" || state == "NODE_FAIL" || state == "PREEMPTED" || state == "BOOT_FAIL";
}

bool slurm_state_is_final(std::string_view state) {
  return state == "COMPLETED" || state == "FAILED" || state == "CANCELLED" || state == "TIMEOUT" ||
         state == "OUT_OF_MEMORY" || state == "BOOT_FAIL" || state == "DEADLINE" || state == "NODE_FAIL" ||
         state == "PREEMPTED";
}

Result<std::vector<SlurmJob>> parse_squeue_json(std::string_view text) {
  boost::system::error_code error;
  const json::value document = json::parse(text, error);
  const json::object* root = error ? nullptr : document.if_object();
  const json::value* jobs_value = root == nullptr ? nullptr : root->if_contains("jobs");
  if (jobs_value == nullptr || !jobs_value->is_array()) {
    return Error::make(ErrorCode::invalid_response, "squeue --json printed no \"jobs\" array");
  }
  std::vector<SlurmJob> jobs;
  jobs.reserve(jobs_value->as_array().size());
  for (const json::value& entry : jobs_value->as_array()) {
    const json::object* object = entry.if_object();
    if (object == nullptr) continue;
    const std::optional<int64_t> id = number_of(object->if_contains("job_id"));
    if (!id) continue;
    SlurmJob job;
    job.name = text_of(object->if_contains("name"));
    job.state = text_of(object->if_contains("job_state"));
    job.reason = text_of(object->if_contains("state_reason"));
    job.restart_count = static_cast<int>(number_of(object->if_contains("restart_cnt")).value_or(0));
    job.array_job_id = number_of(object->if_contains("array_job_id")).value_or(0);
    job.array_task_id = number_of(object->if_contains("array_task_id"));
    job.array_task_string = text_of(object->if_contains("array_task_string"));
    // A task split off an array is named by its array and index, as sbatch, scancel and scontrol name it.
    job.job_id = job.array_job_id != 0 && job.array_task_id
                     ? std::to_string(job.array_job_id) + "_" + std::to_string(*job.array_task_id)
                     : std::to_string(*id);
    if (has_started(job.state)) job.start_time_s = time_of(object->if_contains("start_time"));
    if (slurm_state_is_final(job.state)) {
      job.end_time_s = time_of(object->if_contains("end_time"));
      job.exit = exit_of(object->if_contains("exit_code"));
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace live2
