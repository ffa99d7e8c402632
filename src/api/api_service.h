// ApiService: the request pipeline in front of the routes, as one RequestHandler for HttpServer:
// X-Request-Id (echoed when sane, else generated) and the baseline security headers (security_headers.h) on every
// response; 413 for bodies over the limit; routing with 404/405; API-key authentication and per-user request rate
// limits on authenticated routes, failed authentications limited per client address (client_address.h); the
// dashboard for other GETs; a Prometheus count and latency per route, method and status class; one JSON access-log
// line per request (request id, method, route, status, latency, client address, user; never a key, a query string
// or a signature); answers to requests that may have written held until their writes are on disk. Thread-safe.
#pragma once

#include <memory>
#include <spdlog/logger.h>
#include <variant>

#include "api/api_context.h"
#include "api/api_key_auth.h"
#include "api/dashboard_files.h"
#include "api/rate_limiter.h"
#include "api/router.h"

namespace live2::api {

struct ApiServiceOptions {
  bool metrics_on_main_listener = true;  // false when /metrics has its own listener (LIVE2_METRICS_LISTEN)
  int64_t sse_heartbeat_interval_ms = 15'000;
  int64_t auth_cache_ttl_ms = ApiKeyAuthenticator::kDefaultCacheTtlMs;
  std::shared_ptr<spdlog::logger> access_log;  // default: spdlog's default logger
};

class ApiService {
 public:
  ApiService(ApiParts parts, ApiServiceOptions options);

  // Handler of the main listener.
  Response handle(Request& request);
  // Handler of the separate metrics listener: /metrics and /health only.
  Response handle_metrics_listener(Request& request);

  ApiContext& context() { return context_; }

 private:
  struct Outcome {
    Response response;
    std::string route;  // the matched pattern, or a fixed label such as "unmatched"
    std::string user;
  };

  Response run(Request& request, const Router& router, bool with_dashboard);
  Outcome route(Request& request, const std::string& request_id, const std::string& client, const Router& router,
                bool with_dashboard);
  // The caller of an authenticated route, or the answer that refuses it (401, 429 past the address's failures).
  std::variant<Principal, Response> authenticate(const Request& request, const std::string& client);
  Response metrics_text();
  void hold_until_durable(Response& response, const std::string& request_id);

  ApiServiceOptions options_;
  ApiContext context_;
  ApiKeyAuthenticator authenticator_;
  RequestRateLimiter rate_limiter_;         // per user
  RequestRateLimiter failed_auth_limiter_;  // per client address (address_limit_key)
  DashboardFiles dashboard_;
  Router router_;
  Router metrics_router_;
};

// A client's X-Request-Id is echoed when it is 1-128 characters of [A-Za-z0-9._:-].
bool is_sane_request_id(std::string_view text);

}  // namespace live2::api
