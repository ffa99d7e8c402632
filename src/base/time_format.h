// ISO-8601 UTC timestamps with millisecond precision and `Z`, as docs/api.md requires: 2026-11-24T10:00:00.123Z;
// and HTTP dates. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace live2 {

std::string format_iso8601_ms(int64_t unix_ms);
// Accepts the format above, with or without milliseconds. Returns nullopt for anything else.
std::optional<int64_t> parse_iso8601_ms(std::string_view text);
// An HTTP Date header (RFC 9110 IMF-fixdate: "Sat, 05 Dec 2026 14:50:19 GMT"). Returns nullopt for anything else.
std::optional<int64_t> parse_http_date_ms(std::string_view text);

}  // namespace live2
