// STS and IAM (query protocol, API version 2010-05-08 / 2011-06-15) for the AwsDeploymentApi.
#include <algorithm>
#include <boost/url/decode_view.hpp>
#include <functional>

#include "aws/protocols.h"
#include "infra/access_denied.h"
#include "infra/aws_deployment_api.h"
#include "infra/aws_xml.h"

namespace live2::infra {
namespace {

constexpr const char* kIamVersion = "2010-05-08";
constexpr const char* kStsVersion = "2011-06-15";
constexpr const char* kBatchServiceLinkedRole = "AWSServiceRoleForBatch";
constexpr int kMaxPolicyVersions = 5;

using Parameters = aws::QueryParameters;

Result<std::shared_ptr<pugi::xml_document>> iam(aws::AwsClient& client, const std::string& action,
                                                const Parameters& parameters) {
  Result<std::string> answer = aws::call_query(client, action, kIamVersion, parameters);
  if (!answer.ok()) return with_required_action(answer.error(), "iam:" + action);
  return parse_xml(*answer);
}

// Calls a paged IAM List* action (Marker / IsTruncated) and hands every page's result element to `page`.
Status each_page(aws::AwsClient& client, const std::string& action, const Parameters& parameters,
                 const std::function<Status(const pugi::xml_node&)>& page) {
  std::string marker;
  do {
    Parameters with_marker = parameters;
    if (!marker.empty()) with_marker.emplace_back("Marker", marker);
    auto answer = iam(client, action, with_marker);
    if (!answer.ok()) return answer.error();
    const pugi::xml_node result = (*answer)->document_element().child((action + "Result").c_str());
    LIVE2_RETURN_IF_ERROR(page(result));
    marker = std::string(result.child_value("IsTruncated")) == "true" ? result.child_value("Marker") : "";
  } while (!marker.empty());
  return Status::success();
}

bool is_no_such_entity(const Error& error) { return error.provider_code == "NoSuchEntity"; }

std::string url_decoded(const std::string& text) {
  const boost::urls::decode_view view(text);
  return std::string(view.begin(), view.end());
}

std::string trusted_service(const std::string& trust_policy) {
  for (const char* service : {"ecs-tasks.amazonaws.com", "batch.amazonaws.com", "ec2.amazonaws.com"}) {
    if (trust_policy.find(service) != std::string::npos) return service;
  }
  return "";
}

}  // namespace

AwsDeploymentApi::AwsDeploymentApi(AwsServiceClients clients, aws::Sleeper& sleeper, int64_t wait_timeout_ms)
    : clients_(clients), logs_(clients.logs), sleeper_(sleeper), wait_timeout_ms_(wait_timeout_ms) {}

Result<CallerIdentity> AwsDeploymentApi::caller_identity() {
  Result<std::string> answer = aws::call_query(clients_.sts, "GetCallerIdentity", kStsVersion, {});
  if (!answer.ok()) return answer.error();
  auto document = parse_xml(*answer);
  if (!document.ok()) return document.error();
  pugi::xml_node result = (*document)->document_element().child("GetCallerIdentityResult");
  return CallerIdentity{xml_text(result, "Account"), xml_text(result, "Arn")};
}

Result<RoleState> AwsDeploymentApi::describe_role(const std::string& name) {
  auto role = iam(clients_.iam, "GetRole", {{"RoleName", name}});
  if (!role.ok()) return is_no_such_entity(role.error()) ? Result<RoleState>(RoleState{}) : role.error();
  RoleState state;
  state.exists = true;
  pugi::xml_node result = (*role)->document_element().child("GetRoleResult").child("Role");
  state.arn = xml_text(result, "Arn");
  state.trusted_service = trusted_service(url_decoded(xml_text(result, "AssumeRolePolicyDocument")));
  auto names = iam(clients_.iam, "ListRolePolicies", {{"RoleName", name}});
  if (!names.ok()) return names.error();
  for (const std::string& policy :
       xml_list((*names)->document_element(), "ListRolePoliciesResult/PolicyNames", "member")) {
    auto document = iam(clients_.iam, "GetRolePolicy", {{"RoleName", name}, {"PolicyName", policy}});
    if (!document.ok()) return document.error();
    state.inline_policies[policy] =
        url_decoded(xml_text((*document)->document_element(), "GetRolePolicyResult/PolicyDocument"));
  }
  return state;
}

Status AwsDeploymentApi::create_role(const std::string& name, const std::string& trust_policy) {
  auto created = iam(clients_.iam, "CreateRole",
                     {{"RoleName", name},
                      {"AssumeRolePolicyDocument", trust_policy},
                      {"Description", "live2 (created by live2 infra apply)"}});
  return created.ok() ? Status::success() : Status(created.error());
}

Status AwsDeploymentApi::put_role_policy(const std::string& role, const std::string& policy_name,
                                         const std::string& document) {
  auto put = iam(clients_.iam, "PutRolePolicy",
                 {{"RoleName", role}, {"PolicyName", policy_name}, {"PolicyDocument", document}});
  return put.ok() ? Status::success() : Status(put.error());
}

Status AwsDeploymentApi::delete_role(const std::string& name) {
  auto names = iam(clients_.iam, "ListRolePolicies", {{"RoleName", name}});
  if (!names.ok()) return names.error();
  for (const std::string& policy :
       xml_list((*names)->document_element(), "ListRolePoliciesResult/PolicyNames", "member")) {
    auto removed = iam(clients_.iam, "DeleteRolePolicy", {{"RoleName", name}, {"PolicyName", policy}});
    if (!removed.ok()) return removed.error();
  }
  std::vector<std::string> attached;
  LIVE2_RETURN_IF_ERROR(each_page(clients_.iam, "ListAttachedRolePolicies", {{"RoleName", name}},
                                  [&](const pugi::xml_node& result) {
                                    for (pugi::xml_node member : result.child("AttachedPolicies").children("member")) {
                                      attached.emplace_back(member.child_value("PolicyArn"));
                                    }
                                    return Status::success();
                                  }));
  for (const std::string& policy : attached) {
    auto detached = iam(clients_.iam, "DetachRolePolicy", {{"RoleName", name}, {"PolicyArn", policy}});
    if (!detached.ok()) return detached.error();
  }
  auto deleted = iam(clients_.iam, "DeleteRole", {{"RoleName", name}});
  return deleted.ok() ? Status::success() : Status(deleted.error());
}

Result<ManagedPolicyState> AwsDeploymentApi::describe_policy(const std::string& arn) {
  auto policy = iam(clients_.iam, "GetPolicy", {{"PolicyArn", arn}});
  if (!policy.ok()) {
    return is_no_such_entity(policy.error()) ? Result<ManagedPolicyState>(ManagedPolicyState{}) : policy.error();
  }
  const std::string version = xml_text((*policy)->document_element(), "GetPolicyResult/Policy/DefaultVersionId");
  auto document = iam(clients_.iam, "GetPolicyVersion", {{"PolicyArn", arn}, {"VersionId", version}});
  if (!document.ok()) return document.error();
  return ManagedPolicyState{
      true, arn, url_decoded(xml_text((*document)->document_element(), "GetPolicyVersionResult/PolicyVersion/Document"))};
}

Status AwsDeploymentApi::create_policy(const std::string& name, const std::string& document) {
  auto created = iam(clients_.iam, "CreatePolicy",
                     {{"PolicyName", name},
                      {"PolicyDocument", document},
                      {"Description", "Least privilege for the live2 server (live2 infra apply)"}});
  return created.ok() ? Status::success() : Status(created.error());
}

Status AwsDeploymentApi::update_policy(const std::string& arn, const std::string& document) {
  // IAM keeps at most five versions: drop the oldest non-default one first when full.
  auto versions = iam(clients_.iam, "ListPolicyVersions", {{"PolicyArn", arn}});
  if (!versions.ok()) return versions.error();
  std::vector<std::string> old_versions;
  for (pugi::xml_node member :
       (*versions)->document_element().first_element_by_path("ListPolicyVersionsResult/Versions").children("member")) {
    if (std::string(member.child("IsDefaultVersion").text().as_string()) != "true") {
      old_versions.emplace_back(member.child("VersionId").text().as_string());
    }
  }
  if (static_cast<int>(old_versions.size()) + 1 >= kMaxPolicyVersions) {
    auto removed = iam(clients_.iam, "DeletePolicyVersion", {{"PolicyArn", arn}, {"VersionId", old_versions.back()}});
    if (!removed.ok()) return removed.error();
  }
  auto created = iam(clients_.iam, "CreatePolicyVersion",
                     {{"PolicyArn", arn}, {"PolicyDocument", document}, {"SetAsDefault", "true"}});
  return created.ok() ? Status::success() : Status(created.error());
}

Status AwsDeploymentApi::delete_policy(const std::string& arn) {
  // Every attachment, by kind: ListEntitiesForPolicy answers PolicyUsers, PolicyGroups and PolicyRoles.
  std::vector<std::pair<std::string, std::string>> attachments;  // (kind, name)
  LIVE2_RETURN_IF_ERROR(each_page(clients_.iam, "ListEntitiesForPolicy", {{"PolicyArn", arn}},
                                  [&](const pugi::xml_node& result) {
                                    for (const char* kind : {"User", "Group", "Role"}) {
                                      const std::string list = std::string("Policy") + kind + "s";
                                      const std::string field = std::string(kind) + "Name";
                                      for (pugi::xml_node member : result.child(list.c_str()).children("member")) {
                                        attachments.emplace_back(kind, member.child_value(field.c_str()));
                                      }
                                    }
                                    return Status::success();
                                  }));
  for (const auto& [kind, name] : attachments) {
    auto detached = iam(clients_.iam, "Detach" + kind + "Policy", {{kind + "Name", name}, {"PolicyArn", arn}});
    if (!detached.ok()) return detached.error();
  }
  auto versions = iam(clients_.iam, "ListPolicyVersions", {{"PolicyArn", arn}});
  if (!versions.ok()) return versions.error();
  for (pugi::xml_node member :
       (*versions)->document_element().first_element_by_path("ListPolicyVersionsResult/Versions").children("member")) {
    if (std::string(member.child("IsDefaultVersion").text().as_string()) == "true") continue;
    auto removed = iam(clients_.iam, "DeletePolicyVersion",
                       {{"PolicyArn", arn}, {"VersionId", member.child("VersionId").text().as_string()}});
    if (!removed.ok()) return removed.error();
  }
  auto deleted = iam(clients_.iam, "DeletePolicy", {{"PolicyArn", arn}});
  return deleted.ok() ? Status::success() : Status(deleted.error());
}

Result<RoleState> AwsDeploymentApi::describe_batch_service_linked_role() {
  auto role = iam(clients_.iam, "GetRole", {{"RoleName", kBatchServiceLinkedRole}});
  if (!role.ok()) return is_no_such_entity(role.error()) ? Result<RoleState>(RoleState{}) : role.error();
  return RoleState{true, xml_text((*role)->document_element(), "GetRoleResult/Role/Arn"), "batch.amazonaws.com", {}};
}

Result<std::string> AwsDeploymentApi::ensure_batch_service_linked_role() {
  Result<RoleState> existing = describe_batch_service_linked_role();
  if (!existing.ok()) return existing.error();
  if (existing->exists) return existing->arn;
  auto created = iam(clients_.iam, "CreateServiceLinkedRole", {{"AWSServiceName", "batch.amazonaws.com"}});
  if (!created.ok()) return created.error();
  return xml_text((*created)->document_element(), "CreateServiceLinkedRoleResult/Role/Arn");
}

Result<std::vector<std::string>> AwsDeploymentApi::denied_actions(const std::string& principal_arn,
                                                                  const PermissionCheck& check) {
  Parameters parameters{{"PolicySourceArn", principal_arn}};
  auto add_list = [&](const std::string& name, const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i) parameters.emplace_back(name + ".member." + std::to_string(i + 1), values[i]);
  };
  add_list("ActionNames", check.actions);
  add_list("ResourceArns", check.resource_arns);
  for (size_t i = 0; i < check.context.size(); ++i) {
    const std::string entry = "ContextEntries.member." + std::to_string(i + 1);
    parameters.emplace_back(entry + ".ContextKeyName", check.context[i].key);
    parameters.emplace_back(entry + ".ContextKeyType", check.context[i].type);
    add_list(entry + ".ContextKeyValues", check.context[i].values);
  }
  // An action is denied when it is refused on any of the resources.
  std::vector<std::string> denied;
  LIVE2_RETURN_IF_ERROR(each_page(clients_.iam, "SimulatePrincipalPolicy", parameters,
                                  [&](const pugi::xml_node& result) {
                                    for (pugi::xml_node member : result.child("EvaluationResults").children("member")) {
                                      const std::string action = member.child_value("EvalActionName");
                                      if (std::string(member.child_value("EvalDecision")) != "allowed" &&
                                          std::find(denied.begin(), denied.end(), action) == denied.end()) {
                                        denied.push_back(action);
                                      }
                                    }
                                    return Status::success();
                                  }));
  return denied;
}

Status AwsDeploymentApi::wait_until(const std::string& what, const std::function<Result<bool>()>& settled) {
  constexpr int64_t kPollInterval_ms = 5'000;
  for (int64_t waited_ms = 0; waited_ms <= wait_timeout_ms_; waited_ms += kPollInterval_ms) {
    Result<bool> done = settled();
    if (!done.ok()) return done.error();
    if (*done) return Status::success();
    sleeper_.sleep_ms(kPollInterval_ms);
  }
  return Error::make(ErrorCode::timeout, "gave up waiting for " + what);
}

}  // namespace live2::infra
