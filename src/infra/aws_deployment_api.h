// AwsDeploymentApi: the DeploymentApi over the real wire protocols: STS and IAM (query), S3 bucket configuration
// (REST-XML), ECR (JSON 1.1), EC2 (query), Batch (REST-JSON) and CloudWatch Logs (JSON 1.1, through aws::LogsClient).
// Field names follow the service models in python3-botocore. Deletions that AWS performs asynchronously (queue and
// compute environment) wait, polling with the Sleeper, until AWS lets the next step run. Not thread-safe: one
// command, one instance.
#pragma once

#include <functional>
#include <string>

#include "aws/aws_client.h"
#include "aws/logs_client.h"
#include "aws/s3_client.h"
#include "aws/sleeper.h"
#include "infra/deployment_api.h"

namespace live2::infra {

struct AwsServiceClients {
  aws::AwsClient& sts;
  aws::AwsClient& iam;    // global endpoint, signed for us-east-1
  aws::S3Client& s3;
  aws::AwsClient& ecr;
  aws::AwsClient& ec2;
  aws::AwsClient& batch;
  aws::AwsClient& logs;
};

class AwsDeploymentApi final : public DeploymentApi {
 public:
  AwsDeploymentApi(AwsServiceClients clients, aws::Sleeper& sleeper, int64_t wait_timeout_ms = 10 * 60 * 1000);

  Result<CallerIdentity> caller_identity() override;

  Result<BucketState> describe_bucket(const std::string& bucket) override;
  Status create_bucket(const std::string& bucket, const std::string& region) override;
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

  Result<NetworkState> describe_network(const std::vector<std::string>& subnets,
                                        const std::vector<std::string>& security_groups) override;

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
  // Polls `settled` every few seconds until it returns true (or an error), up to the wait timeout.
  Status wait_until(const std::string& what, const std::function<Result<bool>()>& settled);

  AwsServiceClients clients_;
  aws::LogsClient logs_;
  aws::Sleeper& sleeper_;
  int64_t wait_timeout_ms_;
};

}  // namespace live2::infra
