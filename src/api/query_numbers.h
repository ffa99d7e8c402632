// Integer query parameters with a default and an inclusive range (tail, expires_in). Pure; thread-safe.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

#include "api/api_call.h"
#include "base/result.h"

namespace live2::api {

// The parameter's value, `default_value` when absent; `bad_request` naming the range when malformed or outside it.
inline Result<int64_t> integer_query(const ApiCall& call, std::string_view name, int64_t default_value,
                                     int64_t minimum, int64_t maximum) {
  auto text = call.query_value(name);
  if (!text) return default_value;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < minimum || value > maximum) {
    return Error::make(ErrorCode::bad_request, std::string(name) + " must be an integer from " +
                                                   std::to_string(minimum) + " to " + std::to_string(maximum));
  }
  return value;
}

}  // namespace live2::api
