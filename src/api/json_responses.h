// Building JSON responses and API.md's error body `{"error": {"code", "message", "details"}}`, and the HTTP status
// of each error code. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "api/http_message.h"
#include "core/result.h"

namespace live2::api {

inline constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";

// At most this many `details` go into an error body; past it the error also says `details_truncated: true` and
// `details_total` (a 1 MiB body of bad fields would otherwise come back as megabytes of errors).
inline constexpr size_t kMaxErrorDetails = 20;

Response json_response(int status, const boost::json::value& body);
Response error_response(int status, std::string_view code, std::string_view message,
                        const std::vector<FieldError>& details = {});
// Uses http_status_for(error.code).
Response error_response(const Error& error);

// validation_failed 422, bad_request 400, unauthorized 401, forbidden 403, not_found 404, conflict 409,
// payload_too_large 413, quota_exceeded and rate_limited 429, unavailable 503; anything else is internal (500).
int http_status_for(std::string_view code);

}  // namespace live2::api
