// ApiCall: one request as the handlers see it: the raw Request plus what the service worked out before calling
// them (request id, decoded path and query, path parameters, the authenticated caller). Plain data.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http_message.h"
#include "core/tiers.h"

namespace live2::api {

struct Principal {
  std::string user_id;
  Tier tier = Tier::hobby;
  bool admin = false;
  std::string key_id;  // public id, safe to log
};

struct ApiCall {
  const Request& request;
  std::string request_id;
  std::string path;                                        // percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, in order
  std::map<std::string, std::string> path_params;          // {job_id} -> value
  std::optional<Principal> principal;                      // set on authenticated routes

  std::optional<std::string_view> query_value(std::string_view name) const {
    for (const auto& [key, value] : query) {
      if (key == name) return std::string_view(value);
    }
    return std::nullopt;
  }
  const std::string& param(const std::string& name) const { return path_params.at(name); }
};

}  // namespace live2::api
