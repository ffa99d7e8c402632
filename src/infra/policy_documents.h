// The IAM documents of the deployment, from deploy/iam/*.json with the account's values filled in. Pure.
#pragma once

#include <string>
#include <vector>

#include "infra/deployment_api.h"
#include "infra/deployment_config.h"

namespace live2::infra {

struct PolicyDocuments {
  std::string job_role_trust;
  std::string job_role_policy;
  std::string execution_role_trust;
  std::string execution_role_policy;
  std::string orchestrator_policy;
  std::string doctor_policy;  // the reads `live2 doctor` makes (docs/deploy.md)
};

PolicyDocuments policy_documents(const DeploymentConfig& config, const std::string& account_id);

// Every action an Allow statement of `document` grants (for doctor's permission simulation).
std::vector<std::string> allowed_actions(const std::string& document);

// What one Allow statement grants, as iam:SimulatePrincipalPolicy is asked about it: its actions, on its resources
// (empty: "*"), with context values that meet its conditions. Simulating without the resources would read a grant on
// specific ARNs as denied; without the context, a conditional grant as denied.
std::vector<PermissionCheck> permission_checks(const std::string& document);

// True when two policy documents say the same thing (key order and whitespace ignored; IAM returns documents
// URL-encoded and reformatted).
bool same_policy(const std::string& a, const std::string& b);

}  // namespace live2::infra
