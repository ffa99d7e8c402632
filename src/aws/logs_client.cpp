#include "aws/logs_client.h"

#include <boost/json.hpp>

#include "aws/protocols.h"

namespace live2::aws {

Result<std::vector<std::string>> LogsClient::tail_log_events(const std::string& log_group,
                                                             const std::string& log_stream, int limit) {
  namespace json = boost::json;
  // startFromHead=false returns the newest events (in chronological order within the page).
  const json::object body{
      {"logGroupName", log_group}, {"logStreamName", log_stream}, {"limit", limit}, {"startFromHead", false}};
  Result<json::value> answer = call_json(aws_, "Logs_20140328", "GetLogEvents", body);
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

}  // namespace live2::aws
