#include "fake_account.h"

#include <algorithm>

namespace live2::infra::testing {
namespace {

Error no_such(const std::string& code, const std::string& what) {
  return Error::from_service(code, what + " not found");
}

}  // namespace

std::string FakeAccount::arn(const std::string& service, const std::string& resource, bool regional) const {
  return "arn:aws:" + service + ":" + (regional ? region : "") + ":" + account_id + ":" + resource;
}

std::string FakeAccount::name_from(const std::string& name_or_arn) {
  const size_t slash = name_or_arn.rfind('/');
  return name_or_arn.starts_with("arn:") && slash != std::string::npos ? name_or_arn.substr(slash + 1) : name_or_arn;
}

Result<CallerIdentity> FakeAccount::caller_identity() {
  if (!credentials_valid) return Error::from_service("InvalidClientTokenId", "The security token included is invalid.");
  return CallerIdentity{account_id, caller_arn};
}

Result<BucketState> FakeAccount::describe_bucket(const std::string& bucket) {
  auto it = buckets.find(bucket);
  return it == buckets.end() ? BucketState{} : it->second;
}

Status FakeAccount::create_bucket(const std::string& bucket, const std::string& bucket_region) {
  writes.push_back("CreateBucket " + bucket);
  buckets[bucket] = BucketState{true, bucket_region, false, false, std::nullopt};
  return Status::success();
}

Status FakeAccount::block_public_access(const std::string& bucket) {
  writes.push_back("PutPublicAccessBlock " + bucket);
  buckets.at(bucket).public_access_blocked = true;
  return Status::success();
}

Status FakeAccount::enable_default_encryption(const std::string& bucket) {
  writes.push_back("PutBucketEncryption " + bucket);
  buckets.at(bucket).encrypted = true;
  return Status::success();
}

Status FakeAccount::set_expiration(const std::string& bucket, int days) {
  writes.push_back("PutBucketLifecycleConfiguration " + bucket);
  buckets.at(bucket).expiration_days = days;
  return Status::success();
}

Status FakeAccount::delete_bucket(const std::string& bucket) {
  writes.push_back("DeleteBucket " + bucket);
  return buckets.erase(bucket) ? Status::success() : Status(no_such("NoSuchBucket", bucket));
}

Result<RepositoryState> FakeAccount::describe_repository(const std::string& name) {
  auto it = repositories.find(name);
  return it == repositories.end() ? RepositoryState{} : it->second;
}

Status FakeAccount::create_repository(const std::string& name) {
  writes.push_back("CreateRepository " + name);
  repositories[name] = RepositoryState{true, account_id + ".dkr.ecr." + region + ".amazonaws.com/" + name, {}, {}};
  return Status::success();
}

Status FakeAccount::delete_repository(const std::string& name) {
  writes.push_back("DeleteRepository " + name);
  return repositories.erase(name) ? Status::success() : Status(no_such("RepositoryNotFoundException", name));
}

Result<RoleState> FakeAccount::describe_role(const std::string& name) {
  auto it = roles.find(name);
  return it == roles.end() ? RoleState{} : it->second;
}

Status FakeAccount::create_role(const std::string& name, const std::string& trust_policy) {
  writes.push_back("CreateRole " + name);
  const bool trusts_ecs = trust_policy.find("ecs-tasks.amazonaws.com") != std::string::npos;
  roles[name] = RoleState{true, arn("iam", "role/" + name, false), trusts_ecs ? "ecs-tasks.amazonaws.com" : "", {}};
  return Status::success();
}

Status FakeAccount::put_role_policy(const std::string& role, const std::string& policy_name,
                                    const std::string& document) {
  writes.push_back("PutRolePolicy " + role);
  roles.at(role).inline_policies[policy_name] = document;
  return Status::success();
}

Status FakeAccount::delete_role(const std::string& name) {
  writes.push_back("DeleteRole " + name);
  return roles.erase(name) ? Status::success() : Status(no_such("NoSuchEntity", name));
}

Result<ManagedPolicyState> FakeAccount::describe_policy(const std::string& policy_arn) {
  auto it = policies.find(policy_arn);
  return it == policies.end() ? ManagedPolicyState{} : it->second;
}

Status FakeAccount::create_policy(const std::string& name, const std::string& document) {
  writes.push_back("CreatePolicy " + name);
  const std::string policy_arn = arn("iam", "policy/" + name, false);
  policies[policy_arn] = ManagedPolicyState{true, policy_arn, document};
  return Status::success();
}

Status FakeAccount::update_policy(const std::string& policy_arn, const std::string& document) {
  writes.push_back("CreatePolicyVersion " + policy_arn);
  policies.at(policy_arn).document = document;
  return Status::success();
}

Status FakeAccount::delete_policy(const std::string& policy_arn) {
  writes.push_back("DeletePolicy " + policy_arn);
  return policies.erase(policy_arn) ? Status::success() : Status(no_such("NoSuchEntity", policy_arn));
}

Result<std::string> FakeAccount::ensure_batch_service_linked_role() {
  if (service_linked_role_arn.empty()) {
    writes.push_back("CreateServiceLinkedRole batch.amazonaws.com");
    service_linked_role_arn = arn("iam", "role/aws-service-role/batch.amazonaws.com/AWSServiceRoleForBatch", false);
  }
  return service_linked_role_arn;
}

Result<RoleState> FakeAccount::describe_batch_service_linked_role() {
  if (service_linked_role_arn.empty()) return RoleState{};
  return RoleState{true, service_linked_role_arn, "batch.amazonaws.com", {}};
}

Result<std::vector<std::string>> FakeAccount::denied_actions(const std::string& principal_arn,
                                                             const PermissionCheck& check) {
  simulations.push_back(check);
  std::vector<std::string> out;
  auto it = denied.find(principal_arn);
  for (const auto& action : check.actions) {
    if (it != denied.end() && it->second.count(action)) out.push_back(action);
  }
  return out;
}

Result<NetworkState> FakeAccount::describe_network(const std::vector<std::string>& subnet_ids,
                                                   const std::vector<std::string>& group_ids) {
  NetworkState state;
  for (const auto& id : subnet_ids) {
    if (!subnets.count(id)) state.missing_subnets.push_back(id);
  }
  for (const auto& id : group_ids) {
    if (!security_groups.count(id)) state.missing_security_groups.push_back(id);
  }
  state.subnets_have_internet_route = internet_route;
  return state;
}

Result<ComputeEnvironmentState> FakeAccount::describe_compute_environment(const std::string& name) {
  auto it = compute_environments.find(name_from(name));
  return it == compute_environments.end() ? ComputeEnvironmentState{} : it->second;
}

Status FakeAccount::create_compute_environment(const ComputeEnvironmentSpec& spec) {
  writes.push_back("CreateComputeEnvironment " + spec.name);
  if (spec.service_role_arn != service_linked_role_arn || spec.service_role_arn.empty()) {
    return Error::from_service("ClientException", "serviceRole must be the Batch service-linked role");
  }
  compute_environments[spec.name] = ComputeEnvironmentState{
      true,        arn("batch", "compute-environment/" + spec.name), "VALID", "ENABLED", "MANAGED",
      spec.resource_type, 0, spec.max_vcpus, spec.subnets, spec.security_groups, spec.service_role_arn, ""};
  return Status::success();
}

Status FakeAccount::update_compute_environment(const ComputeEnvironmentSpec& spec) {
  writes.push_back("UpdateComputeEnvironment " + spec.name);
  auto& environment = compute_environments.at(spec.name);
  environment.state = "ENABLED";
  if (spec.min_vcpus) environment.min_vcpus = *spec.min_vcpus;
  environment.max_vcpus = spec.max_vcpus;
  environment.subnets = spec.subnets;
  environment.security_groups = spec.security_groups;
  return Status::success();
}

Status FakeAccount::disable_compute_environment(const std::string& name) {
  writes.push_back("UpdateComputeEnvironment(DISABLED) " + name);
  compute_environments.at(name).state = "DISABLED";
  return Status::success();
}

Status FakeAccount::delete_compute_environment(const std::string& name) {
  writes.push_back("DeleteComputeEnvironment " + name);
  for (const auto& [queue_name, queue] : job_queues) {
    if (std::any_of(queue.compute_environments.begin(), queue.compute_environments.end(),
                    [&](const std::string& arn) { return name_from(arn) == name; })) {
      return Error::from_service("ClientException", "Cannot delete, found existing JobQueue relationship");
    }
  }
  return compute_environments.erase(name) ? Status::success() : Status(no_such("ClientException", name));
}

Result<JobQueueState> FakeAccount::describe_job_queue(const std::string& name) {
  auto it = job_queues.find(name_from(name));
  return it == job_queues.end() ? JobQueueState{} : it->second;
}

Status FakeAccount::create_job_queue(const JobQueueSpec& spec) {
  writes.push_back("CreateJobQueue " + spec.name);
  job_queues[spec.name] = JobQueueState{true, arn("batch", "job-queue/" + spec.name), "VALID", "ENABLED", 1,
                                        spec.compute_environment_arns, spec.time_limit_actions};
  return Status::success();
}

Status FakeAccount::update_job_queue(const JobQueueSpec& spec) {
  writes.push_back("UpdateJobQueue " + spec.name);
  auto& queue = job_queues.at(spec.name);
  queue.state = "ENABLED";
  queue.compute_environments = spec.compute_environment_arns;
  queue.time_limit_actions = spec.time_limit_actions;
  return Status::success();
}

Status FakeAccount::disable_job_queue(const std::string& name) {
  writes.push_back("UpdateJobQueue(DISABLED) " + name);
  job_queues.at(name).state = "DISABLED";
  return Status::success();
}

Status FakeAccount::delete_job_queue(const std::string& name) {
  writes.push_back("DeleteJobQueue " + name);
  if (job_queues.at(name).state != "DISABLED") return Error::from_service("ClientException", "queue must be DISABLED");
  job_queues.erase(name);
  return Status::success();
}

Result<LogGroupState> FakeAccount::describe_log_group(const std::string& name) {
  auto it = log_groups.find(name);
  return it == log_groups.end() ? LogGroupState{} : it->second;
}

Status FakeAccount::create_log_group(const std::string& name) {
  writes.push_back("CreateLogGroup " + name);
  if (log_groups.contains(name)) {
    return Error::from_service("ResourceAlreadyExistsException", "The specified log group already exists");
  }
  log_groups[name] = LogGroupState{true, std::nullopt};
  return Status::success();
}

Status FakeAccount::set_log_retention(const std::string& name, int days) {
  writes.push_back("PutRetentionPolicy " + name + " " + std::to_string(days));
  auto it = log_groups.find(name);
  if (it == log_groups.end()) return no_such("ResourceNotFoundException", "log group " + name);
  it->second.retention_days = days;
  return Status::success();
}

Result<JobDefinitionState> FakeAccount::describe_job_definition(const std::string& name) {
  const std::string wanted = name_from(name);
  const JobDefinitionState* newest = nullptr;
  for (const auto& definition : job_definitions) {
    const std::string revision_name = name_from(definition.arn);
    if (definition.status == "ACTIVE" && revision_name.substr(0, revision_name.find(':')) == wanted) {
      newest = &definition;
    }
  }
  return newest ? *newest : JobDefinitionState{};
}

Result<std::vector<std::string>> FakeAccount::job_definition_revisions(const std::string& name) {
  std::vector<std::string> arns;
  for (const auto& definition : job_definitions) {
    const std::string revision_name = name_from(definition.arn);
    if (definition.status == "ACTIVE" && revision_name.substr(0, revision_name.find(':')) == name_from(name)) {
      arns.push_back(definition.arn);
    }
  }
  return arns;
}

Status FakeAccount::register_job_definition(const JobDefinitionSpec& spec) {
  writes.push_back("RegisterJobDefinition " + spec.name);
  int revision = 1;
  for (const auto& definition : job_definitions) {
    if (definition.arn.find("job-definition/" + spec.name + ":") != std::string::npos) {
      revision = std::max(revision, definition.revision + 1);
    }
  }
  JobDefinitionState state;
  state.exists = true;
  state.arn = arn("batch", "job-definition/" + spec.name + ":" + std::to_string(revision));
  state.revision = revision;
  state.status = "ACTIVE";
  state.platform_capabilities = {"FARGATE"};
  state.image = spec.image;
  state.vcpus = spec.vcpus;
  state.memory_mib = spec.memory_mib;
  state.job_role_arn = spec.job_role_arn;
  state.execution_role_arn = spec.execution_role_arn;
  state.assign_public_ip = spec.assign_public_ip;
  state.log_driver = "awslogs";
  state.environment = spec.environment;
  state.retry_attempts = spec.retry_attempts;
  state.retry_conditions = spec.retry_conditions;
  state.attempt_timeout_s = spec.attempt_timeout_s;
  job_definitions.push_back(state);
  return Status::success();
}

Status FakeAccount::deregister_job_definition(const std::string& definition_arn) {
  writes.push_back("DeregisterJobDefinition " + definition_arn);
  for (auto& definition : job_definitions) {
    if (definition.arn == definition_arn) definition.status = "INACTIVE";
  }
  return Status::success();
}

}  // namespace live2::infra::testing
