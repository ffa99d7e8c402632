#include "aws/protocols.h"

#include <algorithm>
#include <boost/json.hpp>

namespace live2::aws {
namespace {

Result<boost::json::value> parse_json_answer(const Result<HttpResponse>& response) {
  if (!response.ok()) return response.error();
  if (response->body.empty()) return boost::json::value(boost::json::object());
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(response->body, error);
  if (error)
    return Error::make(ErrorCode::invalid_response, "the service answered with malformed JSON: " + error.message());
  return value;
}

}  // namespace

std::string form_encoded(const QueryParameters& parameters) {
  auto encode = [](const std::string& text) {
    std::string out;
    for (size_t start = 0; start <= text.size();) {
      const size_t space = std::min(text.find(' ', start), text.size());
      out += uri_encode(std::string_view(text).substr(start, space - start), false);
      if (space < text.size()) out.push_back('+');
      start = space + 1;
    }
    return out;
  };
  std::string body;
  for (const auto& [name, value] : parameters) {
    if (!body.empty()) body.push_back('&');
    body += encode(name) + "=" + encode(value);
  }
  return body;
}

Result<std::string> call_query(AwsClient& client, const std::string& action, const std::string& version,
                               const QueryParameters& parameters, bool idempotent) {
  QueryParameters form{{"Action", action}, {"Version", version}};
  form.insert(form.end(), parameters.begin(), parameters.end());
  AwsRequest request;
  request.method = "POST";
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  request.body = form_encoded(form);
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
