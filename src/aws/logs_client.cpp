#include "aws/logs_client.h"

#include <algorithm>
#include <boost/json.hpp>

#include "aws/protocols.h"

namespace live2::aws {
namespace {

namespace json = boost::json;

constexpr const char* kTargetPrefix = "Logs_20140328";
// DescribeLogGroups' page limit (1..50); with a name as the prefix a second page is rare but possible
// ("/aws/batch/job" is also the prefix of "/aws/batch/job-archive", and of any number of such groups).
constexpr int kDescribePageSize = 50;
constexpr int kMaxDescribePages = 100;

constexpr int kAllowedRetentionDays[] = {1,   3,   5,   7,   14,   30,   60,   90,   120,  150,  180,
                                         365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

}  // namespace

bool is_allowed_log_retention(int days) {
  return std::binary_search(std::begin(kAllowedRetentionDays), std::end(kAllowedRetentionDays), days);
}

std::string allowed_log_retention_list() {
  std::string out;
  for (int days : kAllowedRetentionDays) out += (out.empty() ? "" : ", ") + std::to_string(days);
  return out;
}

Result<std::vector<std::string>> LogsClient::tail_log_events(const std::string& log_group,
                                                             const std::string& log_stream, int limit) {
  // startFromHead=false returns the newest events (in chronological order within the page).
  const json::object body{
      {"logGroupName", log_group}, {"logStreamName", log_stream}, {"limit", limit}, {"startFromHead", false}};
  Result<json::value> answer = call_json(aws_, kTargetPrefix, "GetLogEvents", body);
  if (!answer.ok()) return answer.error();
  if (!answer->is_object()) return Error::make(ErrorCode::invalid_response, "GetLogEvents answered with a non-object");
  std::vector<std::string> messages;
  if (const json::value* events = answer->as_object().if_contains("events"); events != nullptr && events->is_array()) {
    for (const json::value& event : events->as_array()) {
      const json::value* message = event.is_object() ? event.as_object().if_contains("message") : nullptr;
      if (message != nullptr && message->is_string()) messages.emplace_back(message->as_string());
    }
  }
  return messages;
}

Result<std::optional<LogGroupState>> LogsClient::describe_log_group(const std::string& name) {
  std::string next_token;
  for (int page = 0; page < kMaxDescribePages; ++page) {
    json::object body{{"logGroupNamePrefix", name}, {"limit", kDescribePageSize}};
    if (!next_token.empty()) body["nextToken"] = next_token;
    Result<json::value> answer = call_json(aws_, kTargetPrefix, "DescribeLogGroups", body);
    if (!answer.ok()) return answer.error();
    if (!answer->is_object()) {
      return Error::make(ErrorCode::invalid_response, "DescribeLogGroups answered with a non-object");
    }
    const json::object& object = answer->as_object();
    if (const json::value* groups = object.if_contains("logGroups"); groups != nullptr && groups->is_array()) {
      for (const json::value& group : groups->as_array()) {
        if (!group.is_object()) continue;
        const json::value* group_name = group.as_object().if_contains("logGroupName");
        if (group_name == nullptr || !group_name->is_string() || group_name->as_string() != name) continue;
        LogGroupState state{name, std::nullopt};
        if (const json::value* days = group.as_object().if_contains("retentionInDays");
            days != nullptr && days->is_int64()) {
          state.retention_days = static_cast<int>(days->as_int64());
        }
        return std::optional<LogGroupState>(state);
      }
    }
    const json::value* token = object.if_contains("nextToken");
    if (token == nullptr || !token->is_string() || token->as_string().empty()) return std::optional<LogGroupState>();
    next_token = std::string(token->as_string());
  }
  return Error::make(ErrorCode::invalid_response,
                     "DescribeLogGroups returned more than " + std::to_string(kMaxDescribePages) +
                         " pages of groups named " + name + "...");
}

Status LogsClient::create_log_group(const std::string& name) {
  Result<json::value> answer = call_json(aws_, kTargetPrefix, "CreateLogGroup", json::object{{"logGroupName", name}});
  if (!answer.ok()) return answer.error();
  return Status::success();
}

Status LogsClient::put_retention_policy(const std::string& name, int retention_days) {
  if (!is_allowed_log_retention(retention_days)) {
    return Error::make(ErrorCode::invalid_input, "CloudWatch Logs keeps log events for one of " +
                                                     allowed_log_retention_list() + " days, not " +
                                                     std::to_string(retention_days));
  }
  const json::object body{{"logGroupName", name}, {"retentionInDays", retention_days}};
  Result<json::value> answer = call_json(aws_, kTargetPrefix, "PutRetentionPolicy", body);
  if (!answer.ok()) return answer.error();
  return Status::success();
}

}  // namespace live2::aws
