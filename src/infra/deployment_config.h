// DeploymentConfig: what `live2 infra` builds and `live2 doctor` reviews, named with a prefix
// (docs/aws-contract.md). Every value has a default, can come from the environment/.env (LIVE2_INFRA_* or the
// contract's names) and from flags.
// Pure data and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "aws/fargate_sizes.h"
#include "aws/logs_client.h"
#include "base/environment.h"
#include "base/result.h"

namespace live2::infra {

struct DeploymentConfig {
  std::string prefix = "live2";
  std::string region = "eu-central-1";
  std::string bucket;                         // default "<prefix>-artifacts"
  std::string image;                          // default "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:latest"
  std::vector<std::string> subnets;
  std::vector<std::string> security_groups;
  int max_vcpus = 32;
  int job_vcpus = 8;
  int job_memory_mib = 16384;
  int artifact_expiration_days = 90;
  int retry_attempts = 3;
  int attempt_timeout_s = 24 * 3600;
  bool assign_public_ip = true;              // Fargate tasks reach ECR and S3 through a public IP unless NAT/endpoints
  bool on_demand_fallback = false;           // a FARGATE compute environment behind the FARGATE_SPOT one
  int runnable_limit_s = 3600;               // the queue cancels jobs stuck RUNNABLE this long (600..86400)
  int log_retention_days = 90;               // the jobs' log group keeps events this long (CloudWatch's values)
  std::string environment = "prod";          // ENV passed to the container

  std::string compute_environment_name() const { return prefix + "-compute-env"; }
  std::string on_demand_compute_environment_name() const { return prefix + "-compute-env-on-demand"; }
  std::string job_queue_name() const { return prefix + "-job-queue"; }
  std::string job_definition_name() const { return prefix + "-simulation"; }
  std::string repository_name() const { return prefix + "-simulation"; }
  // Where Batch's awslogs driver writes when the job definition names no group; other Batch users of the account
  // share it.
  std::string log_group_name() const { return aws::kDefaultBatchLogGroup; }
  std::string bucket_name() const { return bucket.empty() ? prefix + "-artifacts" : bucket; }
  // "live2" -> "Live2JobRole": the names the existing deployment uses.
  std::string job_role_name() const;
  std::string execution_role_name() const;
  std::string orchestrator_policy_name() const;
  std::string doctor_policy_name() const;  // the reads of `live2 doctor`, for the identity that runs it
  std::string image_for_account(const std::string& account_id) const;
};

// Reads LIVE2_INFRA_PREFIX, AWS_REGION, AWS_S3_BUCKET, LIVE2_INFRA_IMAGE, LIVE2_INFRA_SUBNETS (comma list),
// LIVE2_INFRA_SECURITY_GROUPS, LIVE2_INFRA_MAX_VCPUS, LIVE2_INFRA_ARTIFACT_EXPIRATION_DAYS,
// LIVE2_INFRA_ON_DEMAND_FALLBACK (true/false), LIVE2_INFRA_RUNNABLE_LIMIT_S, LIVE2_INFRA_LOG_RETENTION_DAYS, ENV;
// validates every value (vCPU/memory must be a valid Fargate pair, the retention one CloudWatch Logs allows).
Result<DeploymentConfig> deployment_config_from(const Environment& variables);

using aws::is_valid_fargate_pair;

}  // namespace live2::infra
