#include "infra/policy_documents.h"

#include <algorithm>

#include <boost/json.hpp>
#include <boost/url/decode_view.hpp>

#include "base/json_text.h"
#include "infra/iam_policies.h"

namespace live2::infra {
namespace {

std::string fill(std::string_view text, const DeploymentConfig& config, const std::string& account_id) {
  const std::pair<std::string_view, std::string> values[] = {
      {"${BUCKET}", config.bucket_name()},
      {"${REGION}", config.region},
      {"${ACCOUNT_ID}", account_id},
      {"${PREFIX}", config.prefix},
      {"${ENV}", config.environment},
  };
  std::string out(text);
  for (const auto& [placeholder, value] : values) {
    for (size_t at = out.find(placeholder); at != std::string::npos; at = out.find(placeholder, at + value.size())) {
      out.replace(at, placeholder.size(), value);
    }
  }
  return out;
}

boost::json::value parse_document(const std::string& text) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error);
  if (!error) return value;
  // IAM answers GetRolePolicy and GetPolicyVersion with a URL-encoded document.
  const boost::urls::decode_view view(text);
  const std::string decoded(view.begin(), view.end());
  value = boost::json::parse(decoded, error);
  return error ? boost::json::value() : value;
}

std::vector<std::string> strings_of(const boost::json::value& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.emplace_back(value.get_string());
  if (value.is_array()) {
    for (const auto& item : value.get_array()) {
      if (item.is_string()) out.emplace_back(item.get_string());
    }
  }
  return out;
}

// Values a request would carry to meet a condition: the expected ones ("*" in a pattern stands for any text), or,
// for a Null check that wants the key present, any value at all.
std::vector<std::string> context_values(std::string_view operator_name, const boost::json::value& expected) {
  if (operator_name == "Null") return {"present"};
  std::vector<std::string> values = strings_of(expected);
  for (std::string& value : values) std::replace(value.begin(), value.end(), '*', 'x');
  return values;
}

}  // namespace

PolicyDocuments policy_documents(const DeploymentConfig& config, const std::string& account_id) {
  using namespace iam_documents;
  return {fill(kJobRoleTrust, config, account_id), fill(kJobRolePolicy, config, account_id),
          fill(kExecutionRoleTrust, config, account_id), fill(kExecutionRolePolicy, config, account_id),
          fill(kOrchestratorPolicy, config, account_id), fill(kDoctorPolicy, config, account_id)};
}

std::vector<std::string> allowed_actions(const std::string& document) {
  std::vector<std::string> actions;
  for (const PermissionCheck& check : permission_checks(document)) {
    actions.insert(actions.end(), check.actions.begin(), check.actions.end());
  }
  return actions;
}

std::vector<PermissionCheck> permission_checks(const std::string& document) {
  std::vector<PermissionCheck> checks;
  const boost::json::value value = parse_document(document);
  const auto* statements = value.is_object() ? value.get_object().if_contains("Statement") : nullptr;
  if (!statements || !statements->is_array()) return checks;
  for (const auto& statement : statements->get_array()) {
    if (!statement.is_object() || statement.at("Effect") != "Allow") continue;
    const boost::json::object& fields = statement.get_object();
    PermissionCheck check;
    check.actions = strings_of(fields.at("Action"));
    for (std::string& resource : strings_of(fields.contains("Resource") ? fields.at("Resource") : "*")) {
      if (resource != "*") check.resource_arns.push_back(std::move(resource));
    }
    if (const auto* conditions = fields.if_contains("Condition"); conditions && conditions->is_object()) {
      for (const auto& [operator_name, keys] : conditions->get_object()) {
        if (!keys.is_object()) continue;
        const bool multivalued = operator_name.starts_with("ForAllValues:") || operator_name.starts_with("ForAnyValue:");
        for (const auto& [key, expected] : keys.get_object()) {
          if (operator_name == "Null" && expected != "false") continue;  // wants the key absent: send nothing
          check.context.push_back(
              {std::string(key), context_values(operator_name, expected), multivalued ? "stringList" : "string"});
        }
      }
    }
    checks.push_back(std::move(check));
  }
  return checks;
}

bool same_policy(const std::string& a, const std::string& b) {
  const boost::json::value left = parse_document(a);
  const boost::json::value right = parse_document(b);
  return !left.is_null() && canonical_json(left) == canonical_json(right);
}

}  // namespace live2::infra
