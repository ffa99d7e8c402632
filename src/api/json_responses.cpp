#include "api/json_responses.h"

#include <algorithm>
#include <boost/json.hpp>

#include "base/json_text.h"

namespace live2::api {

namespace json = boost::json;

Response json_response(int status, const json::value& body) {
  Response response;
  response.status = status;
  response.content_type = std::string(kJsonContentType);
  response.body = json_text(body);
  return response;
}

Response error_response(int status, ErrorCode code, std::string_view message, const std::vector<FieldError>& details) {
  json::array detail_array;
  const size_t shown = std::min(details.size(), kMaxErrorDetails);
  for (size_t i = 0; i < shown; ++i) {
    detail_array.push_back(json::object{{"field", details[i].field}, {"message", details[i].message}});
  }
  json::object error{{"code", to_string(code)}, {"message", message}, {"details", std::move(detail_array)}};
  if (shown < details.size()) {
    error["details_truncated"] = true;
    error["details_total"] = details.size();
  }
  return json_response(status, json::object{{"error", std::move(error)}});
}

Response error_response(const Error& error) {
  const int status = http_status_for(error.code);
  // Internal failures keep their cause in the log, not in the answer.
  if (status == 500) return error_response(500, ErrorCode::internal, "internal error");
  if (error.code == ErrorCode::storage_full) {
    // The store's message names files and SQL; the client needs to know only that this passes.
    Response full =
        error_response(503, error.code, "the server is out of disk space; nothing was changed, try again later");
    full.set_header("Retry-After", std::to_string(kStorageFullRetryAfterSeconds));
    return full;
  }
  return error_response(status, error.code, error.message, error.details);
}

int http_status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation_failed:
      return 422;
    case ErrorCode::bad_request:
      return 400;
    case ErrorCode::unauthorized:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::method_not_allowed:
      return 405;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::gone:
      return 410;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::header_too_large:
      return 431;
    case ErrorCode::quota_exceeded:
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::not_implemented:
      return 501;
    case ErrorCode::unavailable:
    case ErrorCode::storage_full:
      return 503;
    default:
      return 500;
  }
}

}  // namespace live2::api
