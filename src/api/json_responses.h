// Building JSON responses and docs/api.md's error body `{"error": {"code", "message", "details"}}`, and the HTTP status
// of each error code. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string_view>
#include <vector>

#include "api/http_message.h"
#include "base/result.h"

namespace live2::api {

inline constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";

// At most this many `details` go into an error body; past it the error also says `details_truncated: true` and
// `details_total` (a 1 MiB body of bad fields would otherwise come back as megabytes of errors).
inline constexpr size_t kMaxErrorDetails = 20;

Response json_response(int status, const boost::json::value& body);
Response error_response(int status, ErrorCode code, std::string_view message,
                        const std::vector<FieldError>& details = {});
// How long a client is told to wait when the server's disk is full: long enough for an operator (or the cleanup of
// finished jobs) to free space, short enough to notice it.
inline constexpr int kStorageFullRetryAfterSeconds = 60;

// Uses http_status_for(error.code). `storage_full` answers with a fixed message and Retry-After.
Response error_response(const Error& error);

// validation_failed 422, bad_request 400, unauthorized 401, forbidden 403, not_found 404, method_not_allowed 405,
// conflict 409, payload_too_large 413, header_too_large 431, quota_exceeded and rate_limited 429, not_implemented
// 501, unavailable and storage_full 503; anything else is internal (500).
int http_status_for(ErrorCode code);

}  // namespace live2::api
