// DeploymentApi: the AWS calls `live2 infra` and `live2 doctor` make, one method per call shape, with live2's names.
// The real implementation (aws_deployment_api.h) speaks each service's protocol; tests use an in-memory account.
// Reads return the state (with exists=false for a missing resource, never an error for absence); writes return
// Status with the service's error. Not thread-safe: one command uses one instance.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "infra/deployment_state.h"

namespace live2::infra {

struct ComputeEnvironmentSpec {
  std::string name;
  std::string resource_type;  // FARGATE_SPOT
  int max_vcpus = 0;
  std::vector<std::string> subnets;
  std::vector<std::string> security_groups;
  std::string service_role_arn;
  std::optional<int> min_vcpus;  // sent only to reset a drifted value (Fargate ignores it otherwise)
};

struct JobQueueSpec {
  std::string name;
  std::vector<std::string> compute_environment_arns;  // in order: FARGATE_SPOT first, then the on-demand fallback
  std::vector<JobStateTimeLimitAction> time_limit_actions;
};

struct JobDefinitionSpec {
  std::string name;
  std::string image;
  double vcpus = 0;
  int memory_mib = 0;
  std::string job_role_arn;
  std::string execution_role_arn;
  bool assign_public_ip = true;
  std::map<std::string, std::string> environment;
  int retry_attempts = 0;
  std::vector<RetryCondition> retry_conditions;
  int attempt_timeout_s = 0;
};

// One question for iam:SimulatePrincipalPolicy: may the principal use `actions` on `resource_arns` (empty: "*")
// in a request that carries `context`?
struct PermissionCheck {
  struct ContextEntry {
    std::string key;                  // "aws:ResourceTag/live2:job-id"
    std::vector<std::string> values;
    std::string type;                 // "string" or "stringList", as the API names them
  };
  std::vector<std::string> actions;
  std::vector<std::string> resource_arns;
  std::vector<ContextEntry> context;
};

class DeploymentApi {
 public:
  virtual ~DeploymentApi() = default;

  virtual Result<CallerIdentity> caller_identity() = 0;

  virtual Result<BucketState> describe_bucket(const std::string& bucket) = 0;
  virtual Status create_bucket(const std::string& bucket, const std::string& region) = 0;
  virtual Status block_public_access(const std::string& bucket) = 0;
  virtual Status enable_default_encryption(const std::string& bucket) = 0;
  virtual Status set_expiration(const std::string& bucket, int days) = 0;
  virtual Status delete_bucket(const std::string& bucket) = 0;

  virtual Result<RepositoryState> describe_repository(const std::string& name) = 0;
  virtual Status create_repository(const std::string& name) = 0;
  virtual Status delete_repository(const std::string& name) = 0;

  virtual Result<RoleState> describe_role(const std::string& name) = 0;
  virtual Status create_role(const std::string& name, const std::string& trust_policy) = 0;
  virtual Status put_role_policy(const std::string& role, const std::string& policy_name,
                                 const std::string& document) = 0;
  // Deletes its inline policies and detaches its managed ones first (IAM refuses with DeleteConflict otherwise).
  virtual Status delete_role(const std::string& name) = 0;
  virtual Result<ManagedPolicyState> describe_policy(const std::string& arn) = 0;
  virtual Status create_policy(const std::string& name, const std::string& document) = 0;
  virtual Status update_policy(const std::string& arn, const std::string& document) = 0;  // new default version
  // Detaches it from every user, group and role and deletes its non-default versions first (IAM refuses with
  // DeleteConflict otherwise).
  virtual Status delete_policy(const std::string& arn) = 0;
  // The AWS Batch service-linked role, created with iam:CreateServiceLinkedRole when absent; the ARN IAM returns.
  virtual Result<std::string> ensure_batch_service_linked_role() = 0;
  virtual Result<RoleState> describe_batch_service_linked_role() = 0;
  // iam:SimulatePrincipalPolicy: the actions of `check` that are NOT allowed for `principal_arn` (on any of its
  // resources).
  virtual Result<std::vector<std::string>> denied_actions(const std::string& principal_arn,
                                                          const PermissionCheck& check) = 0;

  virtual Result<NetworkState> describe_network(const std::vector<std::string>& subnets,
                                                const std::vector<std::string>& security_groups) = 0;

  virtual Result<ComputeEnvironmentState> describe_compute_environment(const std::string& name) = 0;
  virtual Status create_compute_environment(const ComputeEnvironmentSpec& spec) = 0;
  // Updates what can change in place: state ENABLED, minvCpus 0, maxvCpus, subnets, security groups.
  virtual Status update_compute_environment(const ComputeEnvironmentSpec& spec) = 0;
  virtual Status disable_compute_environment(const std::string& name) = 0;
  virtual Status delete_compute_environment(const std::string& name) = 0;

  virtual Result<JobQueueState> describe_job_queue(const std::string& name) = 0;
  virtual Status create_job_queue(const JobQueueSpec& spec) = 0;
  // Sets state ENABLED, the compute environment order and the time limit actions.
  virtual Status update_job_queue(const JobQueueSpec& spec) = 0;
  virtual Status disable_job_queue(const std::string& name) = 0;
  virtual Status delete_job_queue(const std::string& name) = 0;

  virtual Result<LogGroupState> describe_log_group(const std::string& name) = 0;
  virtual Status create_log_group(const std::string& name) = 0;
  virtual Status set_log_retention(const std::string& name, int days) = 0;  // PutRetentionPolicy

  // The newest ACTIVE revision.
  virtual Result<JobDefinitionState> describe_job_definition(const std::string& name) = 0;
  // The ARNs of every ACTIVE revision (destroy deregisters them all).
  virtual Result<std::vector<std::string>> job_definition_revisions(const std::string& name) = 0;
  virtual Status register_job_definition(const JobDefinitionSpec& spec) = 0;
  virtual Status deregister_job_definition(const std::string& arn) = 0;
};

}  // namespace live2::infra
