#include "infra/deployment_config.h"

#include <cctype>
#include <charconv>

namespace live2::infra {
namespace {

std::string capitalised(const std::string& text) {
  std::string out;
  bool upper_next = true;
  for (char c : text) {
    if (c == '-' || c == '_') {
      upper_next = true;
      continue;
    }
    out.push_back(upper_next ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper_next = false;
  }
  return out;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text + ",") {
    if (c == ',' || c == ' ') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string DeploymentConfig::job_role_name() const { return capitalised(prefix) + "JobRole"; }
std::string DeploymentConfig::execution_role_name() const { return capitalised(prefix) + "ExecutionRole"; }
std::string DeploymentConfig::orchestrator_policy_name() const { return capitalised(prefix) + "OrchestratorPolicy"; }
std::string DeploymentConfig::doctor_policy_name() const { return capitalised(prefix) + "DoctorPolicy"; }

std::string DeploymentConfig::image_for_account(const std::string& account_id) const {
  if (!image.empty()) return image;
  return account_id + ".dkr.ecr." + region + ".amazonaws.com/" + repository_name() + ":latest";
}

Result<DeploymentConfig> deployment_config_from(const Environment& variables) {
  DeploymentConfig config;
  std::vector<FieldError> errors;
  auto text = [&](const char* name, std::string& out) {
    auto it = variables.find(name);
    if (it != variables.end() && !it->second.empty()) out = it->second;
  };
  auto integer = [&](const char* name, int& out, int minimum, int maximum) {
    auto it = variables.find(name);
    if (it == variables.end() || it->second.empty()) return;
    int value = 0;
    const std::string& raw = it->second;
    auto [end, error] = std::from_chars(raw.data(), raw.data() + raw.size(), value);
    if (error != std::errc() || end != raw.data() + raw.size() || value < minimum || value > maximum) {
      errors.push_back({name, "must be an integer between " + std::to_string(minimum) + " and " +
                                  std::to_string(maximum)});
      return;
    }
    out = value;
  };
  text("LIVE2_INFRA_PREFIX", config.prefix);
  text("AWS_REGION", config.region);
  text("AWS_S3_BUCKET", config.bucket);
  text("LIVE2_INFRA_IMAGE", config.image);
  text("ENV", config.environment);
  if (auto it = variables.find("LIVE2_INFRA_SUBNETS"); it != variables.end()) config.subnets = split_list(it->second);
  if (auto it = variables.find("LIVE2_INFRA_SECURITY_GROUPS"); it != variables.end()) {
    config.security_groups = split_list(it->second);
  }
  integer("LIVE2_INFRA_MAX_VCPUS", config.max_vcpus, 1, 10000);
  integer("LIVE2_INFRA_JOB_VCPUS", config.job_vcpus, 1, 16);
  integer("LIVE2_INFRA_JOB_MEMORY_MIB", config.job_memory_mib, 512, 122880);
  integer("LIVE2_INFRA_ARTIFACT_EXPIRATION_DAYS", config.artifact_expiration_days, 1, 36500);
  integer("LIVE2_INFRA_RUNNABLE_LIMIT_S", config.runnable_limit_s, 600, 86400);  // Batch's own bounds
  integer("LIVE2_INFRA_LOG_RETENTION_DAYS", config.log_retention_days, 1, 3653);
  if (auto it = variables.find("LIVE2_INFRA_ON_DEMAND_FALLBACK"); it != variables.end() && !it->second.empty()) {
    if (it->second == "true" || it->second == "1") {
      config.on_demand_fallback = true;
    } else if (it->second != "false" && it->second != "0") {
      errors.push_back({"LIVE2_INFRA_ON_DEMAND_FALLBACK", "must be true or false"});
    }
  }

  bool prefix_ok = !config.prefix.empty() && config.prefix.size() <= 32 && std::isalpha(config.prefix[0]);
  for (char c : config.prefix) prefix_ok = prefix_ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-');
  if (!prefix_ok) errors.push_back({"prefix", "must start with a letter and use letters, digits and '-' (<= 32)"});
  if (!is_valid_fargate_pair(config.job_vcpus, config.job_memory_mib)) {
    errors.push_back({"job_memory_mib", std::to_string(config.job_memory_mib) + " MiB with " +
                                            std::to_string(config.job_vcpus) + " vCPU is not a valid Fargate pair"});
  }
  if (!aws::is_allowed_log_retention(config.log_retention_days)) {
    errors.push_back({"LIVE2_INFRA_LOG_RETENTION_DAYS", std::to_string(config.log_retention_days) +
                                                            " is not a retention CloudWatch Logs allows; use one of " +
                                                            aws::allowed_log_retention_list()});
  }
  if (config.max_vcpus < config.job_vcpus) {
    errors.push_back({"max_vcpus", "must be at least the job's vCPUs (" + std::to_string(config.job_vcpus) + ")"});
  }
  if (!errors.empty()) {
    Error error = Error::make(ErrorCode::invalid_settings, "invalid deployment settings");
    error.details = std::move(errors);
    return error;
  }
  return config;
}

}  // namespace live2::infra
