// FakeAccount: an in-memory AWS account behind the DeploymentApi, for plan/apply/destroy and doctor tests.
// It keeps the state AWS would keep (ARNs, revisions, states) and records every write, so a test can assert both
// the outcome and that a second apply writes nothing. Single-threaded.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "infra/deployment_api.h"

namespace live2::infra::testing {

class FakeAccount final : public DeploymentApi {
 public:
  std::string account_id = "123456789012";
  std::string region = "eu-central-1";
  std::string caller_arn = "arn:aws:iam::123456789012:user/live2-server";
  bool credentials_valid = true;
  std::map<std::string, BucketState> buckets;
  std::map<std::string, RepositoryState> repositories;
  std::map<std::string, RoleState> roles;
  std::map<std::string, ManagedPolicyState> policies;  // by ARN
  std::string service_linked_role_arn;
  std::map<std::string, ComputeEnvironmentState> compute_environments;  // by name
  std::map<std::string, JobQueueState> job_queues;                      // by name
  std::vector<JobDefinitionState> job_definitions;                      // every revision
  std::map<std::string, LogGroupState> log_groups;                      // by name
  std::set<std::string> subnets{"subnet-a", "subnet-b"};
  std::set<std::string> security_groups{"sg-1"};
  bool internet_route = true;
  std::map<std::string, std::set<std::string>> denied;  // principal ARN -> actions it may not use
  std::vector<std::string> writes;                       // "CreateBucket live2-artifacts", ...
  std::vector<PermissionCheck> simulations;              // every SimulatePrincipalPolicy question, in order

  Result<CallerIdentity> caller_identity() override;
  Result<BucketState> describe_bucket(const std::string& bucket) override;
  Status create_bucket(const std::string& bucket, const std::string& bucket_region) override;
  Status block_public_access(const std::string& bucket) override;
  Status enable_default_encryption(const std::string& bucket) override;
  Status set_expiration(const std::string& bucket, int days) override;
  Status delete_bucket(const std::string& bucket) override;
  Result<RepositoryState> describe_repository(const std::string& name) override;
  Status create_repository(const std::string& name) override;
  Status delete_repository(const std::string& name) override;
  Result<RoleState> describe_role(const std::string& name) override;
  Status create_role(const std::string& name, const std::string& trust_policy) override;
  Status put_role_policy(const std::string& role, const std::string& policy_name,
                         const std::string& document) override;
  Status delete_role(const std::string& name) override;
  Result<ManagedPolicyState> describe_policy(const std::string& arn) override;
  Status create_policy(const std::string& name, const std::string& document) override;
  Status update_policy(const std::string& arn, const std::string& document) override;
  Status delete_policy(const std::string& arn) override;
  Result<std::string> ensure_batch_service_linked_role() override;
  Result<RoleState> describe_batch_service_linked_role() override;
  Result<std::vector<std::string>> denied_actions(const std::string& principal_arn,
                                                  const PermissionCheck& check) override;
  Result<NetworkState> describe_network(const std::vector<std::string>& subnet_ids,
                                        const std::vector<std::string>& group_ids) override;
  Result<ComputeEnvironmentState> describe_compute_environment(const std::string& name) override;
  Status create_compute_environment(const ComputeEnvironmentSpec& spec) override;
  Status update_compute_environment(const ComputeEnvironmentSpec& spec) override;
  Status disable_compute_environment(const std::string& name) override;
  Status delete_compute_environment(const std::string& name) override;
  Result<JobQueueState> describe_job_queue(const std::string& name) override;
  Status create_job_queue(const JobQueueSpec& spec) override;
  Status update_job_queue(const JobQueueSpec& spec) override;
  Status disable_job_queue(const std::string& name) override;
  Status delete_job_queue(const std::string& name) override;
  Result<LogGroupState> describe_log_group(const std::string& name) override;
  Status create_log_group(const std::string& name) override;
  Status set_log_retention(const std::string& name, int days) override;
  Result<JobDefinitionState> describe_job_definition(const std::string& name) override;
  Result<std::vector<std::string>> job_definition_revisions(const std::string& name) override;
  Status register_job_definition(const JobDefinitionSpec& spec) override;
  Status deregister_job_definition(const std::string& arn) override;

 private:
  std::string arn(const std::string& service, const std::string& resource, bool regional = true) const;
  static std::string name_from(const std::string& name_or_arn);
};

}  // namespace live2::infra::testing
