#include "base/error_code.h"

#include <array>
#include <ostream>

namespace live2 {
namespace {

constexpr std::array kAllCodes = {
    ErrorCode::validation_failed,
    ErrorCode::bad_request,
    ErrorCode::unauthorized,
    ErrorCode::forbidden,
    ErrorCode::not_found,
    ErrorCode::method_not_allowed,
    ErrorCode::conflict,
    ErrorCode::payload_too_large,
    ErrorCode::header_too_large,
    ErrorCode::quota_exceeded,
    ErrorCode::rate_limited,
    ErrorCode::not_implemented,
    ErrorCode::unavailable,
    ErrorCode::storage_full,
    ErrorCode::internal,
    ErrorCode::io_error,
    ErrorCode::invalid_settings,
    ErrorCode::invalid_input,
    ErrorCode::invalid_job_id,
    ErrorCode::invalid_webhook_url,
    ErrorCode::address_refused,
    ErrorCode::unsafe_name,
    ErrorCode::size_mismatch,
    ErrorCode::corrupt_payload,
    ErrorCode::secrets_unreadable,
    ErrorCode::secrets_unwritable,
    ErrorCode::invalid_listen,
    ErrorCode::bind_failed,
    ErrorCode::invalid_metrics,
    ErrorCode::no_region,
    ErrorCode::credentials_error,
    ErrorCode::credentials_not_configured,
    ErrorCode::dns_failed,
    ErrorCode::connection_failed,
    ErrorCode::network_error,
    ErrorCode::timeout,
    ErrorCode::aborted,
    ErrorCode::stream_ended,
    ErrorCode::invalid_response,
    ErrorCode::service_error,
};

}  // namespace

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::validation_failed:
      return "validation_failed";
    case ErrorCode::bad_request:
      return "bad_request";
    case ErrorCode::unauthorized:
      return "unauthorized";
    case ErrorCode::forbidden:
      return "forbidden";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::method_not_allowed:
      return "method_not_allowed";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::payload_too_large:
      return "payload_too_large";
    case ErrorCode::header_too_large:
      return "header_too_large";
    case ErrorCode::quota_exceeded:
      return "quota_exceeded";
    case ErrorCode::rate_limited:
      return "rate_limited";
    case ErrorCode::not_implemented:
      return "not_implemented";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::storage_full:
      return "storage_full";
    case ErrorCode::internal:
      return "internal";
    case ErrorCode::io_error:
      return "io_error";
    case ErrorCode::invalid_settings:
      return "invalid_settings";
    case ErrorCode::invalid_input:
      return "invalid_input";
    case ErrorCode::invalid_job_id:
      return "invalid_job_id";
    case ErrorCode::invalid_webhook_url:
      return "invalid_webhook_url";
    case ErrorCode::address_refused:
      return "address_refused";
    case ErrorCode::unsafe_name:
      return "unsafe_name";
    case ErrorCode::size_mismatch:
      return "size_mismatch";
    case ErrorCode::corrupt_payload:
      return "corrupt_payload";
    case ErrorCode::secrets_unreadable:
      return "secrets_unreadable";
    case ErrorCode::secrets_unwritable:
      return "secrets_unwritable";
    case ErrorCode::invalid_listen:
      return "invalid_listen";
    case ErrorCode::bind_failed:
      return "bind_failed";
    case ErrorCode::invalid_metrics:
      return "invalid_metrics";
    case ErrorCode::no_region:
      return "no_region";
    case ErrorCode::credentials_error:
      return "credentials_error";
    case ErrorCode::credentials_not_configured:
      return "credentials_not_configured";
    case ErrorCode::dns_failed:
      return "dns_failed";
    case ErrorCode::connection_failed:
      return "connection_failed";
    case ErrorCode::network_error:
      return "network_error";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::aborted:
      return "aborted";
    case ErrorCode::stream_ended:
      return "stream_ended";
    case ErrorCode::invalid_response:
      return "invalid_response";
    case ErrorCode::service_error:
      return "service_error";
  }
  return "internal";
}

std::optional<ErrorCode> error_code_from_string(std::string_view name) {
  for (ErrorCode code : kAllCodes) {
    if (to_string(code) == name) return code;
  }
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << to_string(code); }

}  // namespace live2
