// The IAM documents of the deployment, from deploy/iam/*.json with the account's values filled in. Pure.
#pragma once

#include <string>
#include <vector>

#include "infra/deployment_config.h"

namespace live2::infra {

struct PolicyDocuments {
  std::string job_role_trust;
  std::string job_role_policy;
  std::string execution_role_trust;
  std::string execution_role_policy;
  std::string orchestrator_policy;
};

PolicyDocuments policy_documents(const DeploymentConfig& config, const std::string& account_id);

// Every action an Allow statement of `document` grants (for doctor's permission simulation).
std::vector<std::string> allowed_actions(const std::string& document);

// True when two policy documents say the same thing (key order and whitespace ignored; IAM returns documents
// URL-encoded and reformatted).
bool same_policy(const std::string& a, const std::string& b);

}  // namespace live2::infra
