// AWS Batch control plane (REST-JSON, API version 2016-08-10) for the AwsDeploymentApi: compute environments,
// job queues and job definitions.
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "aws/protocols.h"
#include "infra/access_denied.h"
#include "infra/aws_deployment_api.h"

namespace live2::infra {
namespace {

namespace json = boost::json;

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : "";
}

int int_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_int64() ? static_cast<int>(value->as_int64()) : 0;
}

std::vector<std::string> strings_of(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* value = object.if_contains(key); value && value->is_array()) {
    for (const auto& item : value->as_array()) out.emplace_back(item.as_string());
  }
  return out;
}

json::array json_strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

Status as_status(const Result<json::value>& result) { return result.ok() ? Status::success() : result.error(); }

// One Batch operation ("DescribeJobQueues" is POST /v1/describejobqueues); a refusal names the IAM action.
Result<json::value> batch_call(aws::AwsClient& client, const std::string& operation, const json::value& body) {
  std::string path = "/v1/" + operation;
  std::transform(path.begin(), path.end(), path.begin(), [](unsigned char c) { return std::tolower(c); });
  Result<json::value> answer = aws::call_rest_json(client, path, body);
  if (!answer.ok()) return with_required_action(answer.error(), "batch:" + operation);
  return answer;
}

// Every job definition DescribeJobDefinitions answers `request` with, over all its pages.
Result<std::vector<json::object>> all_job_definitions(aws::AwsClient& client, json::object request) {
  std::vector<json::object> definitions;
  std::string next_token;
  do {
    if (!next_token.empty()) request["nextToken"] = next_token;
    auto answer = batch_call(client, "DescribeJobDefinitions", request);
    if (!answer.ok()) return answer.error();
    for (const auto& definition : answer->at("jobDefinitions").as_array()) {
      definitions.push_back(definition.as_object());
    }
    next_token = text_of(answer->as_object(), "nextToken");
  } while (!next_token.empty());
  return definitions;
}

// The first element of `list_key` in a Describe* answer, or nullptr.
const json::object* first_of(const json::value& answer, std::string_view list_key) {
  const auto& list = answer.at(list_key).as_array();
  return list.empty() ? nullptr : &list.front().as_object();
}

// What CreateJobQueue and UpdateJobQueue share: state, the compute environments in order and the time limit actions.
json::object job_queue_body(const JobQueueSpec& spec) {
  json::array order;
  for (size_t i = 0; i < spec.compute_environment_arns.size(); ++i) {
    order.push_back(json::object{{"order", static_cast<int64_t>(i + 1)},
                                 {"computeEnvironment", spec.compute_environment_arns[i]}});
  }
  json::array actions;
  for (const JobStateTimeLimitAction& action : spec.time_limit_actions) {
    actions.push_back(json::object{{"reason", action.reason},
                                   {"state", "RUNNABLE"},
                                   {"maxTimeSeconds", action.max_time_seconds},
                                   {"action", "CANCEL"}});
  }
  return json::object{{"state", "ENABLED"},
                      {"computeEnvironmentOrder", std::move(order)},
                      {"jobStateTimeLimitActions", std::move(actions)}};
}

JobDefinitionState job_definition_from(const json::object& definition) {
  JobDefinitionState state;
  state.exists = true;
  state.arn = text_of(definition, "jobDefinitionArn");
  state.revision = int_of(definition, "revision");
  state.status = text_of(definition, "status");
  state.platform_capabilities = strings_of(definition, "platformCapabilities");
  if (state.platform_capabilities.empty()) state.platform_capabilities = {"EC2"};  // Batch's default
  if (const json::value* container = definition.if_contains("containerProperties")) {
    const json::object& properties = container->as_object();
    state.image = text_of(properties, "image");
    state.job_role_arn = text_of(properties, "jobRoleArn");
    state.execution_role_arn = text_of(properties, "executionRoleArn");
    if (const json::value* requirements = properties.if_contains("resourceRequirements")) {
      for (const auto& requirement : requirements->as_array()) {
        const std::string type = text_of(requirement.as_object(), "type");
        const std::string value = text_of(requirement.as_object(), "value");
        if (type == "VCPU") state.vcpus = std::stod(value);
        if (type == "MEMORY") state.memory_mib = std::stoi(value);
      }
    }
    if (const json::value* network = properties.if_contains("networkConfiguration")) {
      state.assign_public_ip = text_of(network->as_object(), "assignPublicIp") == "ENABLED";
    }
    if (const json::value* logs = properties.if_contains("logConfiguration")) {
      state.log_driver = text_of(logs->as_object(), "logDriver");
    }
    if (const json::value* environment = properties.if_contains("environment")) {
      for (const auto& variable : environment->as_array()) {
        state.environment[text_of(variable.as_object(), "name")] = text_of(variable.as_object(), "value");
      }
    }
  }
  if (const json::value* retry = definition.if_contains("retryStrategy")) {
    const json::object& strategy = retry->as_object();
    state.retry_attempts = int_of(strategy, "attempts");
    if (const json::value* conditions = strategy.if_contains("evaluateOnExit")) {
      for (const auto& condition : conditions->as_array()) {
        const json::object& c = condition.as_object();
        state.retry_conditions.push_back({upper(text_of(c, "action")), text_of(c, "onStatusReason"),
                                          text_of(c, "onExitCode"), text_of(c, "onReason")});
      }
    }
  }
  if (const json::value* timeout = definition.if_contains("timeout")) {
    state.attempt_timeout_s = int_of(timeout->as_object(), "attemptDurationSeconds");
  }
  return state;
}

}  // namespace

Result<ComputeEnvironmentState> AwsDeploymentApi::describe_compute_environment(const std::string& name) {
  auto answer = batch_call(clients_.batch, "DescribeComputeEnvironments",
                                    json::object{{"computeEnvironments", json::array{json::value(name)}}});
  if (!answer.ok()) return answer.error();
  const json::object* environment = first_of(*answer, "computeEnvironments");
  if (!environment) return ComputeEnvironmentState{};
  ComputeEnvironmentState state;
  state.exists = true;
  state.arn = text_of(*environment, "computeEnvironmentArn");
  state.status = text_of(*environment, "status");
  state.state = text_of(*environment, "state");
  state.type = text_of(*environment, "type");
  state.service_role = text_of(*environment, "serviceRole");
  state.status_reason = text_of(*environment, "statusReason");
  if (const json::value* resources = environment->if_contains("computeResources")) {
    const json::object& compute = resources->as_object();
    state.resource_type = text_of(compute, "type");
    state.min_vcpus = int_of(compute, "minvCpus");
    state.max_vcpus = int_of(compute, "maxvCpus");
    state.subnets = strings_of(compute, "subnets");
    state.security_groups = strings_of(compute, "securityGroupIds");
  }
  return state;
}

Status AwsDeploymentApi::create_compute_environment(const ComputeEnvironmentSpec& spec) {
  return as_status(batch_call(
      clients_.batch, "CreateComputeEnvironment",
      json::object{{"computeEnvironmentName", spec.name},
                   {"type", "MANAGED"},
                   {"state", "ENABLED"},
                   {"serviceRole", spec.service_role_arn},
                   {"computeResources", json::object{{"type", spec.resource_type},
                                                     {"maxvCpus", spec.max_vcpus},
                                                     {"subnets", json_strings(spec.subnets)},
                                                     {"securityGroupIds", json_strings(spec.security_groups)}}},
                   {"tags", json::object{{"live2:managed-by", "live2 infra"}}}}));
}

Status AwsDeploymentApi::update_compute_environment(const ComputeEnvironmentSpec& spec) {
  json::object resources{{"maxvCpus", spec.max_vcpus},
                         {"subnets", json_strings(spec.subnets)},
                         {"securityGroupIds", json_strings(spec.security_groups)}};
  if (spec.min_vcpus) resources["minvCpus"] = *spec.min_vcpus;
  return as_status(batch_call(
      clients_.batch, "UpdateComputeEnvironment",
      json::object{{"computeEnvironment", spec.name}, {"state", "ENABLED"}, {"computeResources", resources}}));
}

Status AwsDeploymentApi::disable_compute_environment(const std::string& name) {
  return as_status(batch_call(clients_.batch, "UpdateComputeEnvironment",
                                       json::object{{"computeEnvironment", name}, {"state", "DISABLED"}}));
}

Status AwsDeploymentApi::delete_compute_environment(const std::string& name) {
  LIVE2_RETURN_IF_ERROR(wait_until("compute environment " + name + " to be disabled", [&]() -> Result<bool> {
    auto state = describe_compute_environment(name);
    if (!state.ok()) return state.error();
    return !state->exists || (state->state == "DISABLED" && state->status == "VALID");
  }));
  LIVE2_RETURN_IF_ERROR(as_status(batch_call(clients_.batch, "DeleteComputeEnvironment",
                                                      json::object{{"computeEnvironment", name}})));
  return wait_until("compute environment " + name + " to be deleted", [&]() -> Result<bool> {
    auto state = describe_compute_environment(name);
    if (!state.ok()) return state.error();
    return !state->exists || state->status == "DELETED";
  });
}

Result<JobQueueState> AwsDeploymentApi::describe_job_queue(const std::string& name) {
  auto answer = batch_call(clients_.batch, "DescribeJobQueues",
                                    json::object{{"jobQueues", json::array{json::value(name)}}});
  if (!answer.ok()) return answer.error();
  const json::object* queue = first_of(*answer, "jobQueues");
  if (!queue || text_of(*queue, "status") == "DELETED") return JobQueueState{};
  JobQueueState state;
  state.exists = true;
  state.arn = text_of(*queue, "jobQueueArn");
  state.status = text_of(*queue, "status");
  state.state = text_of(*queue, "state");
  state.priority = int_of(*queue, "priority");
  std::vector<std::pair<int, std::string>> ordered;
  if (const json::value* order = queue->if_contains("computeEnvironmentOrder")) {
    for (const auto& entry : order->as_array()) {
      ordered.emplace_back(int_of(entry.as_object(), "order"), text_of(entry.as_object(), "computeEnvironment"));
    }
  }
  std::sort(ordered.begin(), ordered.end());
  for (auto& [order, arn] : ordered) state.compute_environments.push_back(arn);
  if (const json::value* actions = queue->if_contains("jobStateTimeLimitActions"); actions && actions->is_array()) {
    for (const auto& entry : actions->as_array()) {
      const json::object& action = entry.as_object();
      state.time_limit_actions.push_back({text_of(action, "reason"), int_of(action, "maxTimeSeconds")});
    }
  }
  return state;
}

Status AwsDeploymentApi::create_job_queue(const JobQueueSpec& spec) {
  json::object body = job_queue_body(spec);
  body["jobQueueName"] = spec.name;
  body["priority"] = 1;
  body["tags"] = json::object{{"live2:managed-by", "live2 infra"}};
  return as_status(batch_call(clients_.batch, "CreateJobQueue", body));
}

Status AwsDeploymentApi::update_job_queue(const JobQueueSpec& spec) {
  json::object body = job_queue_body(spec);
  body["jobQueue"] = spec.name;
  return as_status(batch_call(clients_.batch, "UpdateJobQueue", body));
}

Status AwsDeploymentApi::disable_job_queue(const std::string& name) {
  return as_status(batch_call(clients_.batch, "UpdateJobQueue",
                                       json::object{{"jobQueue", name}, {"state", "DISABLED"}}));
}

Status AwsDeploymentApi::delete_job_queue(const std::string& name) {
  LIVE2_RETURN_IF_ERROR(wait_until("job queue " + name + " to be disabled", [&]() -> Result<bool> {
    auto state = describe_job_queue(name);
    if (!state.ok()) return state.error();
    return !state->exists || (state->state == "DISABLED" && state->status == "VALID");
  }));
  LIVE2_RETURN_IF_ERROR(
      as_status(batch_call(clients_.batch, "DeleteJobQueue", json::object{{"jobQueue", name}})));
  return wait_until("job queue " + name + " to be deleted", [&]() -> Result<bool> {
    auto state = describe_job_queue(name);
    if (!state.ok()) return state.error();
    return !state->exists;
  });
}

Result<JobDefinitionState> AwsDeploymentApi::describe_job_definition(const std::string& name) {
  // A plain name asks for the newest ACTIVE revision; "name:revision" and ARNs name one revision.
  const bool one_revision = name.find(':') != std::string::npos;
  json::object request = one_revision ? json::object{{"jobDefinitions", json::array{json::value(name)}}}
                                      : json::object{{"jobDefinitionName", name}, {"status", "ACTIVE"}};
  auto definitions = all_job_definitions(clients_.batch, std::move(request));
  if (!definitions.ok()) return definitions.error();
  JobDefinitionState newest;
  for (const json::object& definition : *definitions) {
    JobDefinitionState state = job_definition_from(definition);
    if (state.status == "ACTIVE" && state.revision > newest.revision) newest = std::move(state);
  }
  return newest;
}

Result<std::vector<std::string>> AwsDeploymentApi::job_definition_revisions(const std::string& name) {
  auto definitions =
      all_job_definitions(clients_.batch, json::object{{"jobDefinitionName", name}, {"status", "ACTIVE"}});
  if (!definitions.ok()) return definitions.error();
  std::vector<std::string> arns;
  for (const json::object& definition : *definitions) {
    if (text_of(definition, "status") == "ACTIVE") arns.push_back(text_of(definition, "jobDefinitionArn"));
  }
  return arns;
}

Status AwsDeploymentApi::register_job_definition(const JobDefinitionSpec& spec) {
  json::array environment;
  for (const auto& [name, value] : spec.environment) environment.push_back(json::object{{"name", name}, {"value", value}});
  json::array conditions;
  for (const auto& condition : spec.retry_conditions) {
    json::object c{{"action", condition.action}};
    if (!condition.on_status_reason.empty()) c["onStatusReason"] = condition.on_status_reason;
    if (!condition.on_exit_code.empty()) c["onExitCode"] = condition.on_exit_code;
    if (!condition.on_reason.empty()) c["onReason"] = condition.on_reason;
    conditions.push_back(std::move(c));
  }
  std::string vcpus = std::to_string(spec.vcpus);
  vcpus.erase(vcpus.find_last_not_of('0') + 1);
  if (vcpus.back() == '.') vcpus.pop_back();
  json::object container{
      {"image", spec.image},
      {"jobRoleArn", spec.job_role_arn},
      {"executionRoleArn", spec.execution_role_arn},
      {"resourceRequirements", json::array{json::object{{"type", "VCPU"}, {"value", vcpus}},
                                           json::object{{"type", "MEMORY"}, {"value", std::to_string(spec.memory_mib)}}}},
      {"networkConfiguration", json::object{{"assignPublicIp", spec.assign_public_ip ? "ENABLED" : "DISABLED"}}},
      {"fargatePlatformConfiguration", json::object{{"platformVersion", "LATEST"}}},
      {"logConfiguration", json::object{{"logDriver", "awslogs"}}},
      {"environment", std::move(environment)}};
  return as_status(batch_call(
      clients_.batch, "RegisterJobDefinition",
      json::object{{"jobDefinitionName", spec.name},
                   {"type", "container"},
                   {"platformCapabilities", json::array{"FARGATE"}},
                   {"containerProperties", std::move(container)},
                   {"retryStrategy", json::object{{"attempts", spec.retry_attempts}, {"evaluateOnExit", conditions}}},
                   {"timeout", json::object{{"attemptDurationSeconds", spec.attempt_timeout_s}}},
                   {"propagateTags", true}}));
}

Status AwsDeploymentApi::deregister_job_definition(const std::string& arn) {
  return as_status(
      batch_call(clients_.batch, "DeregisterJobDefinition", json::object{{"jobDefinition", arn}}));
}

}  // namespace live2::infra
