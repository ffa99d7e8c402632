#include "aws/aws_error.h"

#include <boost/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <array>

namespace live2::aws {
namespace {

namespace json = boost::json;

// "aws.protocoljson#ClientException" and "ClientException:http://internal.amazon.com/..." both mean ClientException.
std::string bare_error_code(std::string code) {
  if (const size_t hash = code.rfind('#'); hash != std::string::npos) code.erase(0, hash + 1);
  if (const size_t colon = code.find(':'); colon != std::string::npos) code.erase(colon);
  return code;
}

std::string status_code_name(int status) {
  switch (status) {
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 429: return "TooManyRequestsException";
    default: return "HttpError" + std::to_string(status);
  }
}

void read_json_error(const std::string& body, Error& error) {
  boost::system::error_code parse_error;
  const json::value document = json::parse(body, parse_error);
  if (parse_error || !document.is_object()) return;
  const json::object& object = document.as_object();
  for (const char* key : {"__type", "code", "Code"}) {
    if (const json::value* value = object.if_contains(key);
        value != nullptr && value->is_string() && error.provider_code.empty()) {
      error.provider_code = bare_error_code(std::string(value->as_string()));
    }
  }
  for (const char* key : {"message", "Message"}) {
    if (const json::value* value = object.if_contains(key); value != nullptr && value->is_string()) {
      error.message = std::string(value->as_string());
    }
  }
}

void read_xml_error(const std::string& body, Error& error) {
  pugi::xml_document document;
  if (!document.load_buffer(body.data(), body.size())) return;
  // S3: <Error>; query protocol (IAM, STS): <ErrorResponse><Error>...</Error><RequestId/></ErrorResponse>;
  // EC2: <Response><Errors><Error>...</Error></Errors><RequestID/></Response>.
  pugi::xml_node node = document.child("Error");
  pugi::xml_node response = document.child("ErrorResponse");
  if (!node) node = response.child("Error");
  if (!node) {
    response = document.child("Response");
    node = response.child("Errors").child("Error");
  }
  if (!node) return;
  error.provider_code = node.child_value("Code");
  error.message = node.child_value("Message");
  for (const char* field : {"RequestId", "RequestID"}) {
    if (error.request_id.empty()) error.request_id = node.child_value(field);
    if (error.request_id.empty()) error.request_id = response.child_value(field);
  }
}

}  // namespace

Error error_from_response(const HttpResponse& response) {
  Error error;
  error.code = ErrorCode::service_error;
  error.http_status = response.status;
  for (const char* header : {"x-amzn-RequestId", "x-amz-request-id", "x-amzn-request-id"}) {
    if (error.request_id.empty()) error.request_id = response.header(header);
  }
  if (const std::string type = response.header("x-amzn-ErrorType"); !type.empty()) {
    error.provider_code = bare_error_code(type);
  }
  const size_t first = response.body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && response.body[first] == '{') read_json_error(response.body, error);
  if (first != std::string::npos && response.body[first] == '<') read_xml_error(response.body, error);
  if (error.provider_code.empty()) error.provider_code = status_code_name(response.status);
  if (error.message.empty()) error.message = "HTTP " + std::to_string(response.status);
  return error;
}

bool is_throttling(const Error& error) {
  static constexpr std::array<std::string_view, 7> kCodes = {
      "TooManyRequestsException", "ThrottlingException", "Throttling",  "SlowDown",
      "RequestLimitExceeded",     "ThrottledException", "RequestThrottledException"};
  return error.http_status == 429 || std::find(kCodes.begin(), kCodes.end(), error.provider_code) != kCodes.end();
}

bool is_transient(const Error& error) {
  return error.provider_code == "RequestTimeout" || error.provider_code == "RequestTimeoutException" ||
         error.provider_code == "PriorRequestNotComplete";
}

bool is_expired_credentials(const Error& error) {
  return error.provider_code == "ExpiredToken" || error.provider_code == "ExpiredTokenException";
}

bool is_clock_skew(const Error& error) {
  if (error.provider_code == "RequestTimeTooSkewed" || error.provider_code == "RequestExpired") return true;
  const bool signature_error =
      error.provider_code == "InvalidSignatureException" || error.provider_code == "SignatureDoesNotMatch";
  return signature_error && (error.message.find("Signature expired") != std::string::npos ||
                             error.message.find("Signature not yet current") != std::string::npos);
}

bool is_retryable(const Error& error, bool idempotent) {
  if (is_throttling(error) || is_transient(error)) return true;
  if (error.code == ErrorCode::connection_failed || error.code == ErrorCode::dns_failed) return true;  // never sent
  if (!idempotent) return false;
  return error.code == ErrorCode::network_error || error.code == ErrorCode::timeout || error.http_status >= 500;
}

}  // namespace live2::aws
