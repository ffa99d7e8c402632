// Infrastructure: `live2 infra plan | apply | destroy`. Each resource of docs/aws-contract.md is one step that
// observes the account through the DeploymentApi, says what differs from the DeploymentConfig and, when applying,
// fixes exactly that, in dependency order (bucket, repository, roles, policies, compute environment, queue, job
// definition, the jobs' log group and its retention). Destroy goes the other way (queue, compute environment, every
// job definition revision, roles, policies, repository, bucket), detaching what IAM would otherwise refuse with
// DeleteConflict, and goes on past a resource it cannot remove, saying which and why; it leaves the log group, which
// the account's other Batch jobs share. Because plan and apply run the same steps, apply does what plan printed; a
// second apply finds nothing to do.
// Not thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "infra/deployment_api.h"
#include "infra/deployment_config.h"

namespace live2::infra {

enum class ChangeKind { create, update, replace, remove };
std::string_view to_string(ChangeKind kind);

struct PlannedChange {
  std::string resource;             // "S3 bucket", "job queue", ...
  std::string name;
  ChangeKind kind = ChangeKind::create;
  std::vector<std::string> reasons;  // what differs, one line each
};

struct Plan {
  std::vector<PlannedChange> changes;
  // destroy only: "<resource> <name>: <code>: <why>" for each resource it could not remove (it goes on with the rest).
  std::vector<std::string> not_removed;
  bool empty() const { return changes.empty(); }
};

// Text a person reads: one block per change, "No changes." when empty.
std::string render_plan(const Plan& plan, bool destroying);

class Infrastructure {
 public:
  using ChangeCallback = std::function<void(const PlannedChange&)>;

  Infrastructure(DeploymentApi& api, DeploymentConfig config);

  Result<Plan> plan();
  // Applies every change, calling `applied` after each. Stops at the first failure (earlier changes stay).
  Result<Plan> apply(const ChangeCallback& applied);
  Result<Plan> plan_destroy();
  // An error only when the account cannot be read; resources that could not be removed are in `not_removed`.
  Result<Plan> destroy(const ChangeCallback& applied);

 private:
  enum class Mode { plan, apply };
  Result<Plan> converge(Mode mode, const ChangeCallback& applied);
  Result<Plan> tear_down(Mode mode, const ChangeCallback& applied);

  DeploymentApi& api_;
  DeploymentConfig config_;
};

// The queue's jobStateTimeLimitActions: cancel a job RUNNABLE for `runnable_limit_s` because no capacity came
// (CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY) or because it can never start (MISCONFIGURATION:
// COMPUTE_ENVIRONMENT_MAX_RESOURCE, MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT); docs/aws.md, "Stuck jobs".
std::vector<JobStateTimeLimitAction> desired_time_limit_actions(const DeploymentConfig& config);

// `image` with its tag replaced by the digest the tag names now, when it is a tag of `repository` (live2's ECR
// repository) that has been pushed; any other image unchanged. A job definition naming a digest runs the same image
// in every attempt of a job, so a retried attempt resumes with the image that wrote its checkpoint.
std::string pin_image_digest(const std::string& image, const RepositoryState& repository);

// The job definition live2 registers (retry strategy for Spot reclaims and exit 75, catch-all EXIT, timeout).
JobDefinitionSpec desired_job_definition(const DeploymentConfig& config, const std::string& image,
                                         const std::string& job_role_arn, const std::string& execution_role_arn);

}  // namespace live2::infra
