#include "infra/access_denied.h"

#include <algorithm>

namespace live2::infra {
namespace {

constexpr std::string_view kActionField = "iam_action";

}  // namespace

bool is_access_denied(const Error& error) {
  return error.http_status == 403 || error.provider_code == "AccessDenied" ||
         error.provider_code == "AccessDeniedException" || error.provider_code == "UnauthorizedOperation";
}

Error with_required_action(Error error, std::string_view action) {
  if (is_access_denied(error) && required_action(error).empty()) {
    error.details.push_back({std::string(kActionField), std::string(action)});
  }
  return error;
}

std::string required_action(const Error& error) {
  auto it = std::find_if(error.details.begin(), error.details.end(),
                         [](const FieldError& detail) { return detail.field == kActionField; });
  return it == error.details.end() ? "" : it->message;
}

}  // namespace live2::infra
