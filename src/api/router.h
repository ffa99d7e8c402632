// Router: maps (method, path) to a handler. Patterns are literal segments and `{name}` segments that capture one
// path segment ("/api/v1/jobs/{job_id}/cancel"); a last segment `{name...}` captures the rest of the path. The pattern string doubles as the route label in metrics and
// logs, so ids never become label values. HEAD matches GET routes (the server sends no body). Routes are added before
// serving; match() is then thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_call.h"
#include "api/http_message.h"

namespace live2::api {

// `admin`: authenticated, and the key must be an admin key (403 otherwise).
enum class Access { public_route, authenticated, admin };

using Handler = std::function<Response(ApiCall& call)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::authenticated;
  Handler handler;
};

struct RouteMatch {
  const Route* route = nullptr;               // null: no route for this method and path
  bool path_known = false;                    // some route has this path (so the method is wrong: 405)
  std::vector<std::string> allowed_methods;   // for the Allow header of a 405
  std::map<std::string, std::string> params;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Access access, Handler handler);
  RouteMatch match(std::string_view method, std::string_view path) const;

 private:
  struct CompiledRoute {
    Route route;
    std::vector<std::string> segments;  // "{name}" segments capture
  };
  std::vector<CompiledRoute> routes_;
};

}  // namespace live2::api
