// What live2 reads back from an AWS account about its deployment: one struct per resource, each with `exists`.
// Filled by a DeploymentApi; compared with a DeploymentConfig by the planner and reviewed by doctor. Plain data.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace live2::infra {

struct CallerIdentity {
  std::string account_id;
  std::string arn;       // user or assumed-role ARN
};

struct BucketState {
  bool exists = false;
  std::string region;
  bool public_access_blocked = false;  // all four block settings on
  bool encrypted = false;              // default encryption configured
  std::optional<int> expiration_days;  // lifecycle rule expiring objects
};

struct RoleState {
  bool exists = false;
  std::string arn;
  std::string trusted_service;                       // the service principal of its trust policy
  std::map<std::string, std::string> inline_policies;  // name -> policy document (JSON text)
};

struct ManagedPolicyState {
  bool exists = false;
  std::string arn;
  std::string document;  // default version's document (JSON text)
};

struct ComputeEnvironmentState {
  bool exists = false;
  std::string arn;
  std::string status;  // VALID, INVALID, CREATING, ...
  std::string state;   // ENABLED, DISABLED
  std::string type;    // MANAGED, UNMANAGED
  std::string resource_type;  // FARGATE_SPOT, FARGATE, EC2, SPOT
  int min_vcpus = 0;
  int max_vcpus = 0;
  std::vector<std::string> subnets;
  std::vector<std::string> security_groups;
  std::string service_role;
  std::string status_reason;
};

// One of the queue's jobStateTimeLimitActions: cancel a job RUNNABLE with `reason` (its statusReason) for longer than
// `max_time_seconds` (state RUNNABLE and action CANCEL are the only ones Batch allows with Fargate).
struct JobStateTimeLimitAction {
  std::string reason;
  int max_time_seconds = 0;
  bool operator==(const JobStateTimeLimitAction&) const = default;
};

struct JobQueueState {
  bool exists = false;
  std::string arn;
  std::string status;
  std::string state;
  int priority = 0;
  std::vector<std::string> compute_environments;  // ARNs in order
  std::vector<JobStateTimeLimitAction> time_limit_actions;
};

struct RetryCondition {
  std::string action;            // RETRY | EXIT
  std::string on_status_reason;  // glob, may be empty
  std::string on_exit_code;      // glob, may be empty
  std::string on_reason;         // glob, may be empty
  bool operator==(const RetryCondition&) const = default;
};

struct JobDefinitionState {
  bool exists = false;
  std::string arn;
  int revision = 0;
  std::string status;  // ACTIVE, INACTIVE
  std::vector<std::string> platform_capabilities;
  std::string image;
  double vcpus = 0;
  int memory_mib = 0;
  std::string job_role_arn;
  std::string execution_role_arn;
  bool assign_public_ip = false;
  std::string log_driver;
  std::map<std::string, std::string> environment;
  int retry_attempts = 0;
  std::vector<RetryCondition> retry_conditions;
  int attempt_timeout_s = 0;
};

struct RepositoryState {
  bool exists = false;
  std::string uri;
  std::vector<std::string> image_tags;
  std::map<std::string, std::string> image_digests;  // tag -> "sha256:..." (ListImages' imageIds)
};

// The CloudWatch Logs group Batch writes every job's log stream to.
struct LogGroupState {
  bool exists = false;
  std::optional<int> retention_days;  // none: events never expire
};

struct NetworkState {
  std::vector<std::string> missing_subnets;          // configured but not found
  std::vector<std::string> missing_security_groups;  // configured but not found
  bool subnets_have_internet_route = false;           // an internet or NAT gateway route on every subnet
};

}  // namespace live2::infra
