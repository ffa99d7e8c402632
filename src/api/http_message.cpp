#include "api/http_message.h"

#include <strings.h>

namespace live2::api {

std::optional<std::string_view> Request::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return std::string_view(value);
  }
  return std::nullopt;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [existing, existing_value] : headers) {
    if (existing.size() == name.size() && strncasecmp(existing.data(), name.data(), name.size()) == 0) {
      existing_value = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [existing, value] : headers) {
    if (existing.size() == name.size() && strncasecmp(existing.data(), name.data(), name.size()) == 0) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

}  // namespace live2::api
