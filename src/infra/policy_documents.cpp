#include "infra/policy_documents.h"

#include <boost/json.hpp>
#include <boost/url/decode_view.hpp>

#include "core/job_request.h"
#include "infra/iam_policies.h"

namespace live2::infra {
namespace {

std::string fill(std::string_view text, const DeploymentConfig& config, const std::string& account_id) {
  const std::pair<std::string_view, std::string> values[] = {
      {"${BUCKET}", config.bucket_name()},
      {"${REGION}", config.region},
      {"${ACCOUNT_ID}", account_id},
      {"${PREFIX}", config.prefix},
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

}  // namespace

PolicyDocuments policy_documents(const DeploymentConfig& config, const std::string& account_id) {
  using namespace iam_documents;
  return {fill(kJobRoleTrust, config, account_id), fill(kJobRolePolicy, config, account_id),
          fill(kExecutionRoleTrust, config, account_id), fill(kExecutionRolePolicy, config, account_id),
          fill(kOrchestratorPolicy, config, account_id)};
}

std::vector<std::string> allowed_actions(const std::string& document) {
  std::vector<std::string> actions;
  const boost::json::value value = parse_document(document);
  const auto* statements = value.is_object() ? value.get_object().if_contains("Statement") : nullptr;
  if (!statements || !statements->is_array()) return actions;
  for (const auto& statement : statements->get_array()) {
    if (!statement.is_object() || statement.at("Effect") != "Allow") continue;
    const auto& action = statement.at("Action");
    if (action.is_string()) actions.emplace_back(action.get_string());
    if (action.is_array()) {
      for (const auto& item : action.get_array()) actions.emplace_back(item.get_string());
    }
  }
  return actions;
}

bool same_policy(const std::string& a, const std::string& b) {
  const boost::json::value left = parse_document(a);
  const boost::json::value right = parse_document(b);
  return !left.is_null() && canonical_json(left) == canonical_json(right);
}

}  // namespace live2::infra
