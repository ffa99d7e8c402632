#include "base/error_code.h"

#include <array>
#include <ostream>

namespace live2 {
namespace {

struct NamedCode {
  ErrorCode code;
  std::string_view name;
};

// Every code with its name, in the enum's order (checked below), so to_string is an index.
constexpr std::array<NamedCode, 41> kNamedCodes = {{
    {ErrorCode::validation_failed, "validation_failed"},
    {ErrorCode::bad_request, "bad_request"},
    {ErrorCode::unauthorized, "unauthorized"},
    {ErrorCode::forbidden, "forbidden"},
    {ErrorCode::not_found, "not_found"},
    {ErrorCode::method_not_allowed, "method_not_allowed"},
    {ErrorCode::conflict, "conflict"},
    {ErrorCode::gone, "gone"},
    {ErrorCode::payload_too_large, "payload_too_large"},
    {ErrorCode::header_too_large, "header_too_large"},
    {ErrorCode::quota_exceeded, "quota_exceeded"},
    {ErrorCode::rate_limited, "rate_limited"},
    {ErrorCode::not_implemented, "not_implemented"},
    {ErrorCode::unavailable, "unavailable"},
    {ErrorCode::storage_full, "storage_full"},
    {ErrorCode::internal, "internal"},
    {ErrorCode::io_error, "io_error"},
    {ErrorCode::invalid_settings, "invalid_settings"},
    {ErrorCode::invalid_input, "invalid_input"},
    {ErrorCode::invalid_job_id, "invalid_job_id"},
    {ErrorCode::invalid_webhook_url, "invalid_webhook_url"},
    {ErrorCode::address_refused, "address_refused"},
    {ErrorCode::unsafe_name, "unsafe_name"},
    {ErrorCode::size_mismatch, "size_mismatch"},
    {ErrorCode::corrupt_payload, "corrupt_payload"},
    {ErrorCode::secrets_unreadable, "secrets_unreadable"},
    {ErrorCode::secrets_unwritable, "secrets_unwritable"},
    {ErrorCode::invalid_listen, "invalid_listen"},
    {ErrorCode::bind_failed, "bind_failed"},
    {ErrorCode::invalid_metrics, "invalid_metrics"},
    {ErrorCode::no_region, "no_region"},
    {ErrorCode::credentials_error, "credentials_error"},
    {ErrorCode::credentials_not_configured, "credentials_not_configured"},
    {ErrorCode::dns_failed, "dns_failed"},
    {ErrorCode::connection_failed, "connection_failed"},
    {ErrorCode::network_error, "network_error"},
    {ErrorCode::timeout, "timeout"},
    {ErrorCode::aborted, "aborted"},
    {ErrorCode::stream_ended, "stream_ended"},
    {ErrorCode::invalid_response, "invalid_response"},
    {ErrorCode::service_error, "service_error"},
}};

constexpr bool in_enum_order() {
  for (size_t i = 0; i < kNamedCodes.size(); ++i) {
    if (static_cast<size_t>(kNamedCodes[i].code) != i) return false;
  }
  return true;
}
static_assert(in_enum_order(), "kNamedCodes lists every ErrorCode once, in the enum's order");
static_assert(static_cast<size_t>(ErrorCode::service_error) + 1 == kNamedCodes.size(),
              "service_error is the enum's last code: a new code needs its name here");

}  // namespace

std::string_view to_string(ErrorCode code) { return kNamedCodes[static_cast<size_t>(code)].name; }

std::optional<ErrorCode> error_code_from_string(std::string_view name) {
  for (const NamedCode& named : kNamedCodes) {
    if (named.name == name) return named.code;
  }
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& out, ErrorCode code) { return out << to_string(code); }

}  // namespace live2
