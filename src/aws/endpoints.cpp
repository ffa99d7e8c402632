#include "aws/endpoints.h"

#include <cctype>

namespace live2::aws {
namespace {

std::string without_trailing_slash(std::string url) {
  while (url.ends_with('/')) url.pop_back();
  return url;
}

}  // namespace

ServiceEndpoint resolve_endpoint(const std::string& service_id, const std::string& endpoint_prefix,
                                 const std::string& region, const Environment& environment) {
  std::string variable = "AWS_ENDPOINT_URL_";
  for (char c : service_id) variable.push_back(c == ' ' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (const std::string& name : {variable, std::string("AWS_ENDPOINT_URL")}) {
    const auto found = environment.find(name);
    if (found != environment.end() && !found->second.empty()) return {without_trailing_slash(found->second), true};
  }
  return {"https://" + endpoint_prefix + "." + region + ".amazonaws.com", false};
}

}  // namespace live2::aws
