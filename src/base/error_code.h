// ErrorCode: what kind of failure an Error is, one closed list for all of live2, so code branches on a value the
// compiler checks instead of a string. Each code has a stable snake_case name: the API sends it as the error
// object's `code` (docs/api.md), the CLI prints it. A remote service's own code ("NoSuchKey",
// "ThrottlingException") is not an ErrorCode: it travels beside it in Error::provider_code. Pure; thread-safe.
#pragma once

#include <iosfwd>
#include <optional>
#include <string_view>

namespace live2 {

enum class ErrorCode {
  // The request was wrong or is not allowed: the API's 4xx answers.
  validation_failed,   // 422, with per-field details
  bad_request,         // 400
  unauthorized,        // 401
  forbidden,           // 403
  not_found,           // 404
  method_not_allowed,  // 405
  conflict,            // 409
  gone,                // 410: it existed and was deleted for good (retention)
  payload_too_large,   // 413
  header_too_large,    // 431
  quota_exceeded,      // 429: a tier limit
  rate_limited,        // 429: too many requests
  // The service cannot do it now: the API's 5xx answers.
  not_implemented,  // 501
  unavailable,      // 503
  storage_full,     // 503, the disk is full
  internal,         // 500, a bug or an impossible state
  // Local failures.
  io_error,
  invalid_settings,
  invalid_input,
  invalid_job_id,
  invalid_webhook_url,
  address_refused,  // a webhook address inside the operator's network
  unsafe_name,
  size_mismatch,
  corrupt_payload,
  secrets_unreadable,
  secrets_unwritable,
  invalid_listen,
  bind_failed,
  invalid_metrics,
  no_region,
  credentials_error,
  credentials_not_configured,  // a credential source that is simply not set up (the chain moves on)
  // The one HTTP transport's failures (base/http_transport.h), the same for AWS, the CLI and webhooks.
  dns_failed,         // the name did not resolve: nothing was sent
  connection_failed,  // no connection (refused, unreachable, TLS): nothing was sent, a retry is always safe
  network_error,      // sent, but no complete answer: the request may have run
  timeout,            // no complete answer in time: the request may have run
  aborted,            // the caller stopped it (shutdown)
  stream_ended,       // a stream closed before its end
  invalid_response,   // an answer that is not what the protocol promises
  // A remote service answered with an error; its own code is in Error::provider_code.
  service_error,  // the last code: a new one goes above it, with its name in error_code.cpp
};

std::string_view to_string(ErrorCode code);
// The code of that name; nullopt for a name this version does not know.
std::optional<ErrorCode> error_code_from_string(std::string_view name);
// Writes the name (test failure messages, logs).
std::ostream& operator<<(std::ostream& out, ErrorCode code);

}  // namespace live2
