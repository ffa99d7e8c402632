#include "infra/infra_plan.h"

#include <algorithm>
#include <sstream>

#include "infra/policy_documents.h"

namespace live2::infra {
namespace {

constexpr std::string_view kSpotReclaimFargate = "Your Spot Task was interrupted*";
constexpr std::string_view kSpotReclaimEc2 = "Host EC2*";
constexpr std::string_view kWorkerInterruptedExitCode = "75";

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "(none)" : out;
}

// One resource step's outcome: the change (if any) and, in apply mode, the action that makes it.
class StepRecorder {
 public:
  StepRecorder(Plan& plan, bool applying, const Infrastructure::ChangeCallback& applied)
      : plan_(plan), applying_(applying), applied_(applied) {}

  // Records `change` when it has reasons (or is a create/remove), and runs `action` when applying.
  Status record(PlannedChange change, const std::function<Status()>& action) {
    if (change.reasons.empty() && change.kind == ChangeKind::update) return Status::success();
    plan_.changes.push_back(change);
    if (!applying_) return Status::success();
    Status status = action();
    if (!status.ok()) {
      Error error = status.error();
      error.message = std::string(to_string(change.kind)) + " " + change.resource + " " + change.name + ": " +
                      error.message;
      return error;
    }
    if (applied_) applied_(change);
    return Status::success();
  }

  bool applying() const { return applying_; }

 private:
  Plan& plan_;
  bool applying_;
  const Infrastructure::ChangeCallback& applied_;
};

Status converge_bucket(DeploymentApi& api, const DeploymentConfig& config, StepRecorder& steps) {
  const std::string name = config.bucket_name();
  Result<BucketState> bucket = api.describe_bucket(name);
  if (!bucket.ok()) return bucket.error();
  PlannedChange change{"S3 bucket", name, bucket->exists ? ChangeKind::update : ChangeKind::create, {}};
  if (!bucket->exists) change.reasons.push_back("create in " + config.region);
  if (bucket->exists && !bucket->region.empty() && bucket->region != config.region) {
    return Error::make(ErrorCode::conflict, "bucket " + name + " exists in " + bucket->region + ", not " +
                                                config.region + "; choose another --bucket");
  }
  const bool block = !bucket->public_access_blocked;
  const bool encrypt = !bucket->encrypted;
  const bool lifecycle = bucket->expiration_days != config.artifact_expiration_days;
  if (block) change.reasons.push_back("block all public access");
  if (encrypt) change.reasons.push_back("default encryption SSE-S3");
  if (lifecycle) {
    change.reasons.push_back("expire artifacts after " + std::to_string(config.artifact_expiration_days) + " days" +
                             (bucket->expiration_days ? " (now " + std::to_string(*bucket->expiration_days) + ")"
                                                      : ""));
  }
  const bool create = !bucket->exists;
  return steps.record(change, [&]() -> Status {
    if (create) LIVE2_RETURN_IF_ERROR(api.create_bucket(name, config.region));
    if (block) LIVE2_RETURN_IF_ERROR(api.block_public_access(name));
    if (encrypt) LIVE2_RETURN_IF_ERROR(api.enable_default_encryption(name));
    if (lifecycle) LIVE2_RETURN_IF_ERROR(api.set_expiration(name, config.artifact_expiration_days));
    return Status::success();
  });
}

Status converge_repository(DeploymentApi& api, const DeploymentConfig& config, StepRecorder& steps) {
  const std::string name = config.repository_name();
  Result<RepositoryState> repository = api.describe_repository(name);
  if (!repository.ok()) return repository.error();
  if (repository->exists) return Status::success();
  return steps.record({"ECR repository", name, ChangeKind::create, {"create (push the worker image here)"}},
                      [&] { return api.create_repository(name); });
}

Status converge_role(DeploymentApi& api, const std::string& name, const std::string& trust,
                     const std::string& policy_name, const std::string& policy, StepRecorder& steps) {
  Result<RoleState> role = api.describe_role(name);
  if (!role.ok()) return role.error();
  PlannedChange change{"IAM role", name, role->exists ? ChangeKind::update : ChangeKind::create, {}};
  if (!role->exists) change.reasons.push_back("create, trusted by ecs-tasks.amazonaws.com");
  if (role->exists && role->trusted_service != "ecs-tasks.amazonaws.com") {
    return Error::make(ErrorCode::conflict, "role " + name + " exists but trusts " + role->trusted_service +
                                                "; it is not live2's role (choose another --prefix)");
  }
  auto existing = role->inline_policies.find(policy_name);
  const bool put_policy = existing == role->inline_policies.end() || !same_policy(existing->second, policy);
  if (put_policy) change.reasons.push_back("inline policy " + policy_name + " from deploy/iam");
  const bool create = !role->exists;
  return steps.record(change, [&]() -> Status {
    if (create) LIVE2_RETURN_IF_ERROR(api.create_role(name, trust));
    if (put_policy) LIVE2_RETURN_IF_ERROR(api.put_role_policy(name, policy_name, policy));
    return Status::success();
  });
}

Status converge_managed_policy(DeploymentApi& api, const std::string& name, const std::string& account_id,
                               const std::string& document, const std::string& purpose, StepRecorder& steps) {
  const std::string arn = "arn:aws:iam::" + account_id + ":policy/" + name;
  Result<ManagedPolicyState> policy = api.describe_policy(arn);
  if (!policy.ok()) return policy.error();
  if (!policy->exists) {
    return steps.record({"IAM policy", name, ChangeKind::create, {purpose}},
                        [&] { return api.create_policy(name, document); });
  }
  PlannedChange change{"IAM policy", name, ChangeKind::update, {}};
  if (!same_policy(policy->document, document)) change.reasons.push_back("new default version from deploy/iam");
  return steps.record(change, [&] { return api.update_policy(arn, document); });
}

ComputeEnvironmentSpec desired_compute_environment(const DeploymentConfig& config, const std::string& name,
                                                   const std::string& resource_type) {
  return {name, resource_type, config.max_vcpus, config.subnets, config.security_groups, "", std::nullopt};
}

// The FARGATE_SPOT environment, or with --on-demand-fallback also the FARGATE one the queue turns to next.
Status converge_compute_environment(DeploymentApi& api, const DeploymentConfig& config, ComputeEnvironmentSpec spec,
                                    StepRecorder& steps) {
  Result<ComputeEnvironmentState> current = api.describe_compute_environment(spec.name);
  if (!current.ok()) return current.error();
  auto with_service_role = [&]() -> Status {
    Result<std::string> role = api.ensure_batch_service_linked_role();
    if (!role.ok()) return role.error();
    spec.service_role_arn = *role;
    return Status::success();
  };
  if (!current->exists) {
    if (config.subnets.empty() || config.security_groups.empty()) {
      return Error::make(ErrorCode::invalid_settings,
                         "creating the compute environment needs --subnets and "
                         "--security-groups (or LIVE2_INFRA_SUBNETS / LIVE2_INFRA_SECURITY_GROUPS)");
    }
    return steps.record({"compute environment", spec.name, ChangeKind::create,
                         {"MANAGED " + spec.resource_type + ", minvCpus 0, maxvCpus " + std::to_string(config.max_vcpus) +
                          ", subnets " + join(config.subnets) + ", security groups " +
                          join(config.security_groups)}},
                        [&]() -> Status {
                          LIVE2_RETURN_IF_ERROR(with_service_role());
                          return api.create_compute_environment(spec);
                        });
  }
  if (current->type != "MANAGED" || current->resource_type != spec.resource_type) {
    return steps.record({"compute environment",
                         spec.name,
                         ChangeKind::replace,
                         {"is " + current->type + " " + current->resource_type +
                          "; AWS cannot change that in place: run `live2 infra destroy`, then apply"}},
                        [&]() -> Status {
                          return Error::make(ErrorCode::conflict,
                                             "the compute environment must be re-created; run "
                                             "`live2 infra destroy` first");
                        });
  }
  PlannedChange change{"compute environment", spec.name, ChangeKind::update, {}};
  if (current->state != "ENABLED") change.reasons.push_back("state " + current->state + " -> ENABLED");
  if (current->min_vcpus != 0) {
    change.reasons.push_back("minvCpus " + std::to_string(current->min_vcpus) + " -> 0 (scale to zero)");
    spec.min_vcpus = 0;
  }
  if (current->max_vcpus != config.max_vcpus) {
    change.reasons.push_back("maxvCpus " + std::to_string(current->max_vcpus) + " -> " +
                             std::to_string(config.max_vcpus));
  }
  if (!config.subnets.empty() && !same_set(current->subnets, config.subnets)) {
    change.reasons.push_back("subnets " + join(current->subnets) + " -> " + join(config.subnets));
  } else {
    spec.subnets = current->subnets;
  }
  if (!config.security_groups.empty() && !same_set(current->security_groups, config.security_groups)) {
    change.reasons.push_back("security groups " + join(current->security_groups) + " -> " +
                             join(config.security_groups));
  } else {
    spec.security_groups = current->security_groups;
  }
  return steps.record(change, [&] { return api.update_compute_environment(spec); });
}

std::vector<std::string> queue_compute_environment_names(const DeploymentConfig& config) {
  std::vector<std::string> names{config.compute_environment_name()};
  if (config.on_demand_fallback) names.push_back(config.on_demand_compute_environment_name());
  return names;
}

std::string describe_actions(const std::vector<JobStateTimeLimitAction>& actions) {
  std::vector<std::string> described;
  for (const auto& action : actions) described.push_back(action.reason + " " + std::to_string(action.max_time_seconds) + " s");
  return join(described);
}

Status converge_job_queue(DeploymentApi& api, const DeploymentConfig& config, StepRecorder& steps) {
  const std::string name = config.job_queue_name();
  Result<JobQueueState> queue = api.describe_job_queue(name);
  if (!queue.ok()) return queue.error();
  const std::vector<std::string> environments = queue_compute_environment_names(config);
  const std::vector<JobStateTimeLimitAction> actions = desired_time_limit_actions(config);
  auto spec = [&]() -> Result<JobQueueSpec> {
    JobQueueSpec wanted{name, {}, actions};
    for (const std::string& environment_name : environments) {
      Result<ComputeEnvironmentState> environment = api.describe_compute_environment(environment_name);
      if (!environment.ok()) return environment.error();
      if (!environment->exists) return Error::make(ErrorCode::not_found, "compute environment " + environment_name + " is missing");
      wanted.compute_environment_arns.push_back(environment->arn);
    }
    return wanted;
  };
  auto write = [&](bool create) -> Status {
    Result<JobQueueSpec> wanted = spec();
    if (!wanted.ok()) return wanted.error();
    return create ? api.create_job_queue(*wanted) : api.update_job_queue(*wanted);
  };
  if (!queue->exists) {
    return steps.record({"job queue", name, ChangeKind::create,
                         {"ENABLED, ordered to " + join(environments), "cancel RUNNABLE jobs: " + describe_actions(actions)}},
                        [&] { return write(true); });
  }
  PlannedChange change{"job queue", name, ChangeKind::update, {}};
  if (queue->state != "ENABLED") change.reasons.push_back("state " + queue->state + " -> ENABLED");
  bool connected = queue->compute_environments.size() == environments.size();
  for (size_t i = 0; connected && i < environments.size(); ++i) {
    connected = queue->compute_environments[i].ends_with("/" + environments[i]);
  }
  if (!connected) {
    change.reasons.push_back("compute environments " + join(queue->compute_environments) + " -> " + join(environments));
  }
  if (queue->time_limit_actions != actions) {
    change.reasons.push_back("cancel RUNNABLE jobs: " + describe_actions(queue->time_limit_actions) + " -> " +
                             describe_actions(actions));
  }
  return steps.record(change, [&] { return write(false); });
}

std::vector<std::string> job_definition_differences(const JobDefinitionState& current,
                                                    const JobDefinitionSpec& wanted) {
  std::vector<std::string> reasons;
  auto differs = [&](bool different, const std::string& what) {
    if (different) reasons.push_back(what);
  };
  differs(current.platform_capabilities != std::vector<std::string>{"FARGATE"},
          "platform " + join(current.platform_capabilities) + " -> FARGATE");
  differs(current.image != wanted.image, "image " + current.image + " -> " + wanted.image);
  differs(current.vcpus != wanted.vcpus || current.memory_mib != wanted.memory_mib,
          "resources " + std::to_string(current.vcpus) + " vCPU/" + std::to_string(current.memory_mib) + " MiB -> " +
              std::to_string(wanted.vcpus) + " vCPU/" + std::to_string(wanted.memory_mib) + " MiB");
  differs(current.job_role_arn != wanted.job_role_arn, "job role -> " + wanted.job_role_arn);
  differs(current.execution_role_arn != wanted.execution_role_arn, "execution role -> " + wanted.execution_role_arn);
  differs(current.assign_public_ip != wanted.assign_public_ip, "assignPublicIp");
  differs(current.environment != wanted.environment, "container environment (S3_BUCKET, ENV)");
  differs(current.retry_attempts != wanted.retry_attempts || current.retry_conditions != wanted.retry_conditions,
          "retry strategy (Spot reclaims and exit 75 retried, everything else EXIT)");
  differs(current.attempt_timeout_s != wanted.attempt_timeout_s,
          "attempt timeout " + std::to_string(current.attempt_timeout_s) + " s -> " +
              std::to_string(wanted.attempt_timeout_s) + " s");
  return reasons;
}

Status converge_job_definition(DeploymentApi& api, const DeploymentConfig& config, const std::string& account_id,
                               StepRecorder& steps) {
  const std::string name = config.job_definition_name();
  auto role_arn = [&](const std::string& role) -> std::string {
    Result<RoleState> state = api.describe_role(role);
    if (state.ok() && state->exists) return state->arn;
    return "arn:aws:iam::" + account_id + ":role/" + role;  // only shown in a plan before the role exists
  };
  // Pinned at apply: SubmitJob cannot override a job definition's image, and registering revisions from the server
  // would need batch:RegisterJobDefinition and iam:PassRole there (docs/aws.md, "Image pinning").
  Result<RepositoryState> repository = api.describe_repository(config.repository_name());
  if (!repository.ok()) return repository.error();
  const std::string image = pin_image_digest(config.image_for_account(account_id), *repository);
  auto wanted = [&] {
    return desired_job_definition(config, image, role_arn(config.job_role_name()),
                                  role_arn(config.execution_role_name()));
  };
  Result<JobDefinitionState> current = api.describe_job_definition(name);
  if (!current.ok()) return current.error();
  PlannedChange change{"job definition", name, current->exists ? ChangeKind::update : ChangeKind::create, {}};
  if (!current->exists) {
    change.reasons.push_back("FARGATE, " + std::to_string(config.job_vcpus) + " vCPU / " +
                             std::to_string(config.job_memory_mib) + " MiB, image " + image);
  } else {
    change.reasons = job_definition_differences(*current, wanted());
    if (!change.reasons.empty()) change.reasons.insert(change.reasons.begin(), "register a new revision:");
  }
  return steps.record(change, [&] { return api.register_job_definition(wanted()); });
}

std::string retention_text(std::optional<int> days) {
  return days ? std::to_string(*days) + " days" : "forever";
}

// The jobs' log group and how long it keeps events (a group without a retention keeps them forever). Created here
// when absent, so the retention holds from the first job on. Destroy leaves it (docs/aws.md, "Logs").
Status converge_log_group(DeploymentApi& api, const DeploymentConfig& config, StepRecorder& steps) {
  const std::string name = config.log_group_name();
  Result<LogGroupState> group = api.describe_log_group(name);
  if (!group.ok()) return group.error();
  const int days = config.log_retention_days;
  PlannedChange change{"log group", name, group->exists ? ChangeKind::update : ChangeKind::create, {}};
  if (!group->exists) {
    change.reasons.push_back("create (every job's log stream), keep events " + retention_text(days));
  } else if (group->retention_days != days) {
    change.reasons.push_back("keep events " + retention_text(group->retention_days) + " -> " + retention_text(days));
  }
  const bool create = !group->exists;
  return steps.record(change, [&]() -> Status {
    if (create) LIVE2_RETURN_IF_ERROR(api.create_log_group(name));
    return api.set_log_retention(name, days);
  });
}

}  // namespace

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::create: return "create";
    case ChangeKind::update: return "update";
    case ChangeKind::replace: return "replace";
    case ChangeKind::remove: return "delete";
  }
  return "update";
}

std::string render_plan(const Plan& plan, bool destroying) {
  if (plan.empty()) return destroying ? "Nothing to destroy.\n" : "No changes. The deployment matches the settings.\n";
  std::ostringstream out;
  const char* symbols[] = {"+", "~", "!", "-"};
  for (const auto& change : plan.changes) {
    out << symbols[static_cast<int>(change.kind)] << " " << to_string(change.kind) << " " << change.resource << " "
        << change.name << "\n";
    for (const auto& reason : change.reasons) out << "    " << reason << "\n";
  }
  out << "\n" << plan.changes.size() << (plan.changes.size() == 1 ? " change" : " changes")
      << (destroying ? " to destroy.\n" : " to apply.\n");
  return out.str();
}

std::vector<JobStateTimeLimitAction> desired_time_limit_actions(const DeploymentConfig& config) {
  std::vector<JobStateTimeLimitAction> actions;
  for (const char* reason : {"CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
                             "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT"}) {
    actions.push_back({reason, config.runnable_limit_s});
  }
  return actions;
}

std::string pin_image_digest(const std::string& image, const RepositoryState& repository) {
  if (!repository.exists || repository.uri.empty() || !image.starts_with(repository.uri + ":")) return image;
  const auto digest = repository.image_digests.find(image.substr(repository.uri.size() + 1));
  return digest == repository.image_digests.end() ? image : repository.uri + "@" + digest->second;
}

JobDefinitionSpec desired_job_definition(const DeploymentConfig& config, const std::string& image,
                                         const std::string& job_role_arn, const std::string& execution_role_arn) {
  JobDefinitionSpec spec;
  spec.name = config.job_definition_name();
  spec.image = image;
  spec.vcpus = config.job_vcpus;
  spec.memory_mib = config.job_memory_mib;
  spec.job_role_arn = job_role_arn;
  spec.execution_role_arn = execution_role_arn;
  spec.assign_public_ip = config.assign_public_ip;
  spec.environment = {{"S3_BUCKET", config.bucket_name()}, {"ENV", config.environment}};
  spec.retry_attempts = config.retry_attempts;
  // Conditions are checked in order; the last one stops every other failure from being retried.
  spec.retry_conditions = {
      {"RETRY", std::string(kSpotReclaimFargate), "", ""},
      {"RETRY", std::string(kSpotReclaimEc2), "", ""},
      {"RETRY", "", std::string(kWorkerInterruptedExitCode), ""},
      {"EXIT", "", "", "*"},
  };
  spec.attempt_timeout_s = config.attempt_timeout_s;
  return spec;
}

Infrastructure::Infrastructure(DeploymentApi& api, DeploymentConfig config) : api_(api), config_(std::move(config)) {}

Result<Plan> Infrastructure::plan() { return converge(Mode::plan, nullptr); }
Result<Plan> Infrastructure::apply(const ChangeCallback& applied) { return converge(Mode::apply, applied); }
Result<Plan> Infrastructure::plan_destroy() { return tear_down(Mode::plan, nullptr); }
Result<Plan> Infrastructure::destroy(const ChangeCallback& applied) { return tear_down(Mode::apply, applied); }

Result<Plan> Infrastructure::converge(Mode mode, const ChangeCallback& applied) {
  Result<CallerIdentity> identity = api_.caller_identity();
  if (!identity.ok()) return identity.error();
  const PolicyDocuments documents = policy_documents(config_, identity->account_id);
  Plan plan;
  StepRecorder steps(plan, mode == Mode::apply, applied);
  const std::function<Status()> in_order[] = {
      [&] { return converge_bucket(api_, config_, steps); },
      [&] { return converge_repository(api_, config_, steps); },
      [&] {
        return converge_role(api_, config_.job_role_name(), documents.job_role_trust, "live2-artifacts",
                             documents.job_role_policy, steps);
      },
      [&] {
        return converge_role(api_, config_.execution_role_name(), documents.execution_role_trust,
                             "live2-pull-and-log", documents.execution_role_policy, steps);
      },
      [&] {
        return converge_managed_policy(api_, config_.orchestrator_policy_name(), identity->account_id,
                                       documents.orchestrator_policy, "least-privilege policy for the live2 server",
                                       steps);
      },
      [&] {
        return converge_managed_policy(api_, config_.doctor_policy_name(), identity->account_id,
                                       documents.doctor_policy, "read-only policy for `live2 doctor`", steps);
      },
      [&] {
        return converge_compute_environment(
            api_, config_, desired_compute_environment(config_, config_.compute_environment_name(), "FARGATE_SPOT"),
            steps);
      },
      [&]() -> Status {
        if (!config_.on_demand_fallback) return Status::success();
        return converge_compute_environment(
            api_, config_,
            desired_compute_environment(config_, config_.on_demand_compute_environment_name(), "FARGATE"), steps);
      },
      [&] { return converge_job_queue(api_, config_, steps); },
      [&] { return converge_job_definition(api_, config_, identity->account_id, steps); },
      [&] { return converge_log_group(api_, config_, steps); },
  };
  for (const auto& step : in_order) {
    Status status = step();
    if (!status.ok()) return status.error();
  }
  return plan;
}

Result<Plan> Infrastructure::tear_down(Mode mode, const ChangeCallback& applied) {
  Result<CallerIdentity> identity = api_.caller_identity();
  if (!identity.ok()) return identity.error();
  Plan plan;
  StepRecorder steps(plan, mode == Mode::apply, applied);
  // A resource that cannot be removed is reported and the rest still goes: what depends on it stays, and says why.
  auto remove = [&](const std::string& resource, const std::string& name, const std::function<Status()>& action) {
    Status status = steps.record({resource, name, ChangeKind::remove, {"delete"}}, action);
    if (!status.ok())
      plan.not_removed.push_back(status.error().message + " (" + std::string(status.error().code_name()) + ")");
  };

  Result<JobQueueState> queue = api_.describe_job_queue(config_.job_queue_name());
  if (!queue.ok()) return queue.error();
  if (queue->exists) {
    remove("job queue", config_.job_queue_name(), [&]() -> Status {
      LIVE2_RETURN_IF_ERROR(api_.disable_job_queue(config_.job_queue_name()));
      return api_.delete_job_queue(config_.job_queue_name());
    });
  }
  for (const std::string& name : {config_.compute_environment_name(), config_.on_demand_compute_environment_name()}) {
    Result<ComputeEnvironmentState> environment = api_.describe_compute_environment(name);
    if (!environment.ok()) return environment.error();
    if (environment->exists) {
      remove("compute environment", name, [&]() -> Status {
        LIVE2_RETURN_IF_ERROR(api_.disable_compute_environment(name));
        return api_.delete_compute_environment(name);
      });
    }
  }
  Result<std::vector<std::string>> revisions = api_.job_definition_revisions(config_.job_definition_name());
  if (!revisions.ok()) return revisions.error();
  for (const std::string& arn : *revisions) {
    remove("job definition", arn.substr(arn.rfind('/') + 1), [&] { return api_.deregister_job_definition(arn); });
  }
  for (const std::string& role : {config_.job_role_name(), config_.execution_role_name()}) {
    Result<RoleState> state = api_.describe_role(role);
    if (!state.ok()) return state.error();
    if (state->exists) remove("IAM role", role, [&] { return api_.delete_role(role); });
  }
  for (const std::string& name : {config_.orchestrator_policy_name(), config_.doctor_policy_name()}) {
    const std::string arn = "arn:aws:iam::" + identity->account_id + ":policy/" + name;
    Result<ManagedPolicyState> policy = api_.describe_policy(arn);
    if (!policy.ok()) return policy.error();
    if (policy->exists) remove("IAM policy", name, [&] { return api_.delete_policy(arn); });
  }
  Result<RepositoryState> repository = api_.describe_repository(config_.repository_name());
  if (!repository.ok()) return repository.error();
  if (repository->exists) {
    remove("ECR repository", config_.repository_name(), [&] { return api_.delete_repository(config_.repository_name()); });
  }
  Result<BucketState> bucket = api_.describe_bucket(config_.bucket_name());
  if (!bucket.ok()) return bucket.error();
  if (bucket->exists) {
    remove("S3 bucket", config_.bucket_name(), [&] { return api_.delete_bucket(config_.bucket_name()); });
  }
  return plan;
}

}  // namespace live2::infra
