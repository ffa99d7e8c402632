#include "aws/protocols.h"

#include <boost/json.hpp>

namespace live2::aws {
namespace {

Result<boost::json::value> parse_json_answer(const Result<HttpResponse>& response) {
  if (!response.ok()) return response.error();
  if (response->body.empty()) return boost::json::value(boost::json::object());
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(response->body, error);
  if (error) return Error::make("invalid_response", "the service answered with malformed JSON: " + error.message());
  return value;
}

}  // namespace

Result<std::string> call_query(AwsClient& client, const std::string& action, const std::string& version,
                               const QueryParameters& parameters, bool idempotent) {
  QueryParameters form = parameters;
  form.emplace_back("Action", action);
  form.emplace_back("Version", version);
  AwsRequest request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  // The canonical query string is exactly the form encoding the query protocol expects.
  request.body = canonical_query_string(form);
  request.idempotent = idempotent;
  Result<HttpResponse> response = client.send(request);
  if (!response.ok()) return response.error();
  return std::move(response->body);
}

Result<boost::json::value> call_json(AwsClient& client, const std::string& target_prefix,
                                     const std::string& operation, const boost::json::value& body,
                                     bool idempotent) {
  AwsRequest request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", "application/x-amz-json-1.1"});
  request.headers.push_back({"X-Amz-Target", target_prefix + "." + operation});
  request.body = boost::json::serialize(body);
  request.idempotent = idempotent;
  return parse_json_answer(client.send(request));
}

Result<boost::json::value> call_rest_json(AwsClient& client, const std::string& path, const boost::json::value& body,
                                          bool idempotent, CallPriority priority) {
  AwsRequest request;
  request.priority = priority;
  request.method = "POST";
  request.path = path;
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = boost::json::serialize(body);
  request.idempotent = idempotent;
  return parse_json_answer(client.send(request));
}

}  // namespace live2::aws
