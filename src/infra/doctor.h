// `live2 doctor`: reviews a live deployment as docs/aws-contract.md's review does, by group. Every check records what
// it saw and, when it fails or warns, how to fix it. Reads only (the optional probe is supplied by the caller).
// Not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/fargate_sizes.h"
#include "base/environment.h"
#include "infra/deployment_api.h"

namespace live2::infra {

enum class CheckStatus { pass, warn, fail };
std::string_view to_string(CheckStatus status);

struct Check {
  std::string id;        // stable, e.g. "job_queue.state"
  std::string group;     // the contract's group: "Identity", "Compute environment", ...
  std::string title;
  CheckStatus status = CheckStatus::pass;
  std::string observed;  // what was seen
  std::string fix;       // how to fix it (empty on pass)
};

struct DoctorReport {
  std::vector<Check> checks;
  bool ok() const;  // no check failed
};

struct DoctorInputs {
  std::string region;
  std::string job_queue;        // name or ARN (AWS_BATCH_JOB_QUEUE)
  std::string job_definition;   // name, name:revision or ARN (AWS_BATCH_JOB_DEFINITION)
  std::string bucket;           // AWS_S3_BUCKET
  std::string environment = "prod";  // ENV: the key prefix the policies grant
  std::string prefix = "live2";      // LIVE2_INFRA_PREFIX: names the policies and the ECR repository
  std::string executor;         // LIVE2_EXECUTOR
  std::string credentials_source;  // where the credentials came from ("environment", "profile x", ...)
  Environment variables;           // the settings as given (for the configuration checks)
  // Each tier's largest Fargate size (LIVE2_TIER_<TIER>_MAX_VCPUS / _MAX_MEMORY_MIB), by tier name.
  std::vector<std::pair<std::string, aws::FargateSize>> tier_ceilings;
  // --probe: submits a tiny job and checks its artifacts; empty when not asked for.
  std::function<Check()> probe;
};

// The group of `live2 doctor`'s checks of a Slurm cluster (LIVE2_EXECUTOR=slurm; src/exec/slurm_doctor.h).
inline constexpr std::string_view kSlurmGroup = "Slurm";

// The order of the groups in every rendering.
const std::vector<std::string>& doctor_groups();

DoctorReport run_doctor(DeploymentApi& api, const DoctorInputs& inputs);

// text (terminal), md (a review document) or json ({"ok", "checks": [{id,title,status,observed,fix}]}).
std::string render_report(const DoctorReport& report, std::string_view format);

}  // namespace live2::infra
