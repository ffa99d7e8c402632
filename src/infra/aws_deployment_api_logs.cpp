// CloudWatch Logs (JSON 1.1) for the AwsDeploymentApi: the jobs' log group and its retention.
#include "infra/access_denied.h"
#include "infra/aws_deployment_api.h"

namespace live2::infra {

Result<LogGroupState> AwsDeploymentApi::describe_log_group(const std::string& name) {
  Result<std::optional<aws::LogGroupState>> group = logs_.describe_log_group(name);
  if (!group.ok()) return with_required_action(group.error(), "logs:DescribeLogGroups");
  if (!group->has_value()) return LogGroupState{};
  return LogGroupState{true, (*group)->retention_days};
}

Status AwsDeploymentApi::create_log_group(const std::string& name) {
  Status created = logs_.create_log_group(name);
  // A retried CreateLogGroup whose first attempt ran answers ResourceAlreadyExistsException: the group is there.
  if (created.ok() || created.error().provider_code == "ResourceAlreadyExistsException") return Status::success();
  return with_required_action(created.error(), "logs:CreateLogGroup");
}

Status AwsDeploymentApi::set_log_retention(const std::string& name, int days) {
  Status put = logs_.put_retention_policy(name, days);
  return put.ok() ? put : Status(with_required_action(put.error(), "logs:PutRetentionPolicy"));
}

}  // namespace live2::infra
