#include "aws/batch_client.h"

#include <boost/json.hpp>

#include "aws/protocols.h"

namespace live2::aws {
namespace {

namespace json = boost::json;

std::string text(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

int64_t integer(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_number() ? value->to_number<int64_t>() : 0;
}

const json::object* child(const json::object& object, const char* key) {
  const json::value* value = object.if_contains(key);
  return value != nullptr && value->is_object() ? &value->as_object() : nullptr;
}

std::optional<int> exit_code_of(const json::object* container) {
  if (container == nullptr) return std::nullopt;
  const json::value* value = container->if_contains("exitCode");
  if (value == nullptr || !value->is_number()) return std::nullopt;
  return value->to_number<int>();
}

Result<json::object> call(AwsClient& aws, const std::string& path, const json::object& body, bool idempotent,
                          CallPriority priority) {
  Result<json::value> answer = call_rest_json(aws, path, body, idempotent, priority);
  if (!answer.ok()) return answer.error();
  if (!answer->is_object())
    return Error::make(ErrorCode::invalid_response, "Batch " + path + " answered with a non-object");
  return std::move(answer->as_object());
}

}  // namespace

std::string array_child_id(const std::string& parent_job_id, int index) {
  return parent_job_id + ":" + std::to_string(index);
}

BatchJob parse_batch_job(const json::object& job) {
  BatchJob parsed;
  parsed.job_id = text(job, "jobId");
  parsed.job_arn = text(job, "jobArn");
  parsed.job_name = text(job, "jobName");
  parsed.status = text(job, "status");
  parsed.status_reason = text(job, "statusReason");
  parsed.created_at_ms = integer(job, "createdAt");
  if (const int64_t started = integer(job, "startedAt"); started > 0) parsed.started_at_ms = started;
  if (const int64_t stopped = integer(job, "stoppedAt"); stopped > 0) parsed.stopped_at_ms = stopped;
  const json::object* container = child(job, "container");
  parsed.exit_code = exit_code_of(container);
  if (container != nullptr) {
    parsed.log_stream = text(*container, "logStreamName");
    parsed.task_arn = text(*container, "taskArn");
  }
  if (const json::value* attempts = job.if_contains("attempts"); attempts != nullptr && attempts->is_array()) {
    for (const json::value& entry : attempts->as_array()) {
      if (!entry.is_object()) continue;
      const json::object& attempt = entry.as_object();
      const json::object* attempt_container = child(attempt, "container");
      BatchAttempt& parsed_attempt = parsed.attempts.emplace_back();
      parsed_attempt.exit_code = exit_code_of(attempt_container);
      if (attempt_container != nullptr) {
        parsed_attempt.container_reason = text(*attempt_container, "reason");
        parsed_attempt.log_stream = text(*attempt_container, "logStreamName");
        parsed_attempt.task_arn = text(*attempt_container, "taskArn");
      }
      parsed_attempt.status_reason = text(attempt, "statusReason");
      if (const int64_t started = integer(attempt, "startedAt"); started > 0) parsed_attempt.started_at_ms = started;
      if (const int64_t stopped = integer(attempt, "stoppedAt"); stopped > 0) parsed_attempt.stopped_at_ms = stopped;
    }
  }
  if (const json::object* array = child(job, "arrayProperties"); array != nullptr) {
    if (const json::value* size = array->if_contains("size"); size != nullptr && size->is_number()) {
      parsed.array_size = size->to_number<int>();
    }
    if (const json::value* index = array->if_contains("index"); index != nullptr && index->is_number()) {
      parsed.array_index = index->to_number<int>();
    }
    if (const json::object* summary = child(*array, "statusSummary"); summary != nullptr) {
      for (const auto& [status, count] : *summary) {
        if (count.is_number()) parsed.array_status_summary[std::string(status)] = count.to_number<int>();
      }
    }
  }
  if (const json::value* dependencies = job.if_contains("dependsOn");
      dependencies != nullptr && dependencies->is_array()) {
    for (const json::value& dependency : dependencies->as_array()) {
      if (dependency.is_object()) parsed.depends_on.push_back(text(dependency.as_object(), "jobId"));
    }
  }
  return parsed;
}

Result<BatchSubmitted> BatchClient::submit_job(const BatchSubmitRequest& request) {
  if (request.array_size && (*request.array_size < kMinArraySize || *request.array_size > kMaxArraySize)) {
    return Error::make(ErrorCode::validation_failed, "an array job has 2 to 10,000 children, not " +
                                                         std::to_string(*request.array_size) +
                                                         " (submit a single run as a plain job)");
  }
  if (request.depends_on.size() > kMaxJobDependencies) {
    return Error::make(ErrorCode::validation_failed, "a Batch job depends on at most 20 jobs, not " +
                                                         std::to_string(request.depends_on.size()));
  }
  json::array environment;
  for (const auto& [name, value] : request.environment) environment.push_back(json::object{{"name", name}, {"value", value}});
  json::object tags;
  for (const auto& [name, value] : request.tags) tags[name] = value;
  json::object overrides{{"environment", std::move(environment)}};
  if (!request.command.empty()) overrides["command"] = json::array(request.command.begin(), request.command.end());
  if (request.resources) {
    overrides["resourceRequirements"] =
        json::array{json::object{{"type", "VCPU"}, {"value", format_vcpus(request.resources->vcpus)}},
                    json::object{{"type", "MEMORY"}, {"value", std::to_string(request.resources->memory_mib)}}};
  }
  json::object body{{"jobName", request.job_name},
                    {"jobQueue", request.job_queue},
                    {"jobDefinition", request.job_definition},
                    {"containerOverrides", std::move(overrides)},
                    {"tags", std::move(tags)},
                    {"propagateTags", request.propagate_tags}};
  if (request.array_size) body["arrayProperties"] = json::object{{"size", *request.array_size}};
  if (!request.depends_on.empty()) {
    json::array dependencies;
    for (const std::string& job_id : request.depends_on) dependencies.push_back(json::object{{"jobId", job_id}});
    body["dependsOn"] = std::move(dependencies);
  }
  Result<json::object> answer = call(aws_, "/v1/submitjob", body, false, CallPriority::submission);
  if (!answer.ok()) return answer.error();
  BatchSubmitted submitted{text(*answer, "jobId"), text(*answer, "jobArn")};
  if (submitted.job_id.empty()) return Error::make(ErrorCode::invalid_response, "SubmitJob answered without a jobId");
  return submitted;
}

Result<std::vector<BatchJob>> BatchClient::describe_jobs(const std::vector<std::string>& job_ids) {
  if (job_ids.size() > kMaxDescribeJobIds) {
    return Error::make(ErrorCode::validation_failed, "DescribeJobs takes at most 100 job ids");
  }
  json::array ids;
  for (const std::string& id : job_ids) ids.push_back(json::value(id));
  Result<json::object> answer = call(aws_, "/v1/describejobs", {{"jobs", std::move(ids)}}, true, CallPriority::status_read);
  if (!answer.ok()) return answer.error();
  std::vector<BatchJob> jobs;
  if (const json::value* list = answer->if_contains("jobs"); list != nullptr && list->is_array()) {
    for (const json::value& job : list->as_array()) {
      if (job.is_object()) jobs.push_back(parse_batch_job(job.as_object()));
    }
  }
  return jobs;
}

Result<std::vector<BatchJobSummary>> BatchClient::list_jobs_by_name(const std::string& job_queue,
                                                                    const std::string& job_name) {
  std::vector<BatchJobSummary> summaries;
  std::string next_token;
  do {
    json::object body{{"jobQueue", job_queue},
                      {"filters", json::array{json::object{{"name", "JOB_NAME"}, {"values", json::array{json::value(job_name)}}}}}};
    if (!next_token.empty()) body["nextToken"] = next_token;
    Result<json::object> answer = call(aws_, "/v1/listjobs", body, true, CallPriority::status_read);
    if (!answer.ok()) return answer.error();
    if (const json::value* list = answer->if_contains("jobSummaryList"); list != nullptr && list->is_array()) {
      for (const json::value& entry : list->as_array()) {
        if (!entry.is_object()) continue;
        const json::object& summary = entry.as_object();
        summaries.push_back({text(summary, "jobId"), text(summary, "jobName"), text(summary, "status"),
                             integer(summary, "createdAt")});
      }
    }
    next_token = text(*answer, "nextToken");
  } while (!next_token.empty());
  return summaries;
}

Status BatchClient::cancel_job(const std::string& job_id, const std::string& reason) {
  Result<json::object> answer =
      call(aws_, "/v1/canceljob", {{"jobId", job_id}, {"reason", reason}}, true, CallPriority::status_read);
  if (!answer.ok()) return answer.error();
  return Status::success();
}

Status BatchClient::terminate_job(const std::string& job_id, const std::string& reason) {
  Result<json::object> answer =
      call(aws_, "/v1/terminatejob", {{"jobId", job_id}, {"reason", reason}}, true, CallPriority::status_read);
  if (!answer.ok()) return answer.error();
  return Status::success();
}

}  // namespace live2::aws
