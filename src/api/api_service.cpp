#include "api/api_service.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include "api/client_address.h"
#include "api/json_responses.h"
#include "api/routes.h"
#include "api/security_headers.h"
#include "base/json_text.h"
#include "core/ids.h"

namespace live2::api {
namespace {

namespace json = boost::json;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Metric labels come from fixed sets, whatever a client sends: each distinct label set is a series held for the
// life of the process, so a raw method (or path, or status) would let anyone grow /metrics without bound.
std::string_view method_label(std::string_view method) {
  static constexpr std::string_view kKnownMethods[] = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                       "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  for (std::string_view known : kKnownMethods) {
    if (method == known) return known;
  }
  return "other";
}

std::string status_class_label(int status) { return std::to_string(status / 100) + "xx"; }

}  // namespace

bool is_sane_request_id(std::string_view text) {
  if (text.empty() || text.size() > 128) return false;
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

ApiService::ApiService(ApiParts parts, ApiServiceOptions options)
    : options_(std::move(options)),
      context_(std::move(parts), options_.sse_heartbeat_interval_ms),
      authenticator_(context_.parts.api_keys, context_.parts.clock, options_.auth_cache_ttl_ms),
      rate_limiter_(context_.parts.clock),
      failed_auth_limiter_(context_.parts.clock),
      dashboard_(context_.parts.web_dir, context_.parts.artifacts.download_origin()) {
  if (!options_.access_log) options_.access_log = spdlog::default_logger();
  add_job_routes(router_, context_);
  add_job_output_routes(router_, context_);
  add_service_routes(router_, context_);
  auto metrics_route = [this](ApiCall&) { return metrics_text(); };
  // On the main listener anyone could read it, so it takes an admin key there; its own listener
  // (LIVE2_METRICS_LISTEN) is meant for a private address that only the scraper reaches, and stays open.
  if (options_.metrics_on_main_listener) router_.add("GET", "/metrics", Access::admin, metrics_route);
  metrics_router_.add("GET", "/metrics", Access::public_route, metrics_route);
  metrics_router_.add("GET", "/health", Access::public_route,
                      [](ApiCall&) { return json_response(200, json::object{{"status", "ok"}}); });
}

Response ApiService::handle(Request& request) { return run(request, router_, true); }

Response ApiService::handle_metrics_listener(Request& request) { return run(request, metrics_router_, false); }

// A request that may have written is answered once its write is on disk (group commit: docs/storage.md), so a
// client that got 202 never loses its job to a power loss. Nothing pending: answered at once.
void ApiService::hold_until_durable(Response& response, const std::string& request_id) {
  response.hold = [&jobs = context_.parts.jobs, request_id](auto release) {
    jobs.when_durable([release = std::move(release), request_id](bool durable) {
      if (durable) return release(std::nullopt);
      Response failed = error_response(503, ErrorCode::unavailable,
                                       "the change could not be written to disk; retry (a submission with the same "
                                       "Idempotency-Key returns the job if it was made)");
      failed.set_header("Retry-After", "1");
      failed.set_header("X-Request-Id", request_id);
      add_baseline_security_headers(failed);
      release(std::move(failed));
    });
  };
}

Response ApiService::metrics_text() {
  Response response;
  response.content_type = "text/plain; version=0.0.4; charset=utf-8";
  response.body = context_.metrics.render();
  return response;
}

Response ApiService::run(Request& request, const Router& router, bool with_dashboard) {
  const auto started = std::chrono::steady_clock::now();
  auto client_id = request.header("x-request-id");
  thread_local SeededRandomSource request_id_random(context_.parts.random);
  const std::string request_id = client_id && is_sane_request_id(*client_id)
                                     ? std::string(*client_id)
                                     : new_random_id("req_", request_id_random);
  const std::string client = client_address(request, context_.parts.settings.trusted_proxies);
  Outcome outcome;
  if (request.body_too_large) {
    outcome.response =
        error_response(413, ErrorCode::payload_too_large,
                       "the body is larger than " + std::to_string(context_.parts.settings.max_body_bytes) + " bytes");
    outcome.response.close_connection = true;
    outcome.route = "body_too_large";
  } else {
    outcome = route(request, request_id, client, router, with_dashboard);
  }
  outcome.response.set_header("X-Request-Id", request_id);
  add_baseline_security_headers(outcome.response);
  if (request.method != "GET" && request.method != "HEAD") hold_until_durable(outcome.response, request_id);

  const double latency_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string method(method_label(request.method));
  const std::string status = status_class_label(outcome.response.status);
  context_.metrics.add("live2_http_requests_total", {{"route", outcome.route}, {"method", method}, {"status", status}});
  context_.metrics.observe("live2_http_request_duration_seconds", {{"route", outcome.route}, {"method", method}},
                           latency_s);
  unsigned char arena_buffer[1024];  // the line lives only until it is written
  json::monotonic_resource arena(arena_buffer, sizeof arena_buffer);
  json::object line({{"ts", context_.parts.clock.now_ms()},
                     {"event", "http_request"},
                     {"request_id", request_id},
                     {"method", request.method},
                     {"route", outcome.route},
                     {"status", outcome.response.status},
                     {"latency_us", static_cast<int64_t>(latency_s * 1e6)},
                     {"remote", client}},
                    &arena);
  if (!outcome.user.empty()) line["user"] = outcome.user;
  options_.access_log->info(json_text(line));
  return std::move(outcome.response);
}

ApiService::Outcome ApiService::route(Request& request, const std::string& request_id, const std::string& client,
                                      const Router& router, bool with_dashboard) {
  Outcome outcome;
  outcome.route = "unmatched";
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) {
    outcome.response = error_response(400, ErrorCode::bad_request, "the request target is not a valid path");
    return outcome;
  }
  ApiCall call{request, request_id, std::string(url->path()), {}, {}, std::nullopt};
  for (const auto& param : url->params()) call.query.emplace_back(param.key, param.value);

  RouteMatch match = router.match(request.method, call.path);
  if (!match.route) {
    // Service paths never fall back to the dashboard, e.g. /metrics when it has its own listener.
    const bool api_path = call.path.starts_with("/api/") || call.path.starts_with("/files/") || call.path == "/metrics";
    if (with_dashboard && !api_path && (request.method == "GET" || request.method == "HEAD")) {
      outcome.route = "dashboard";
      outcome.response = dashboard_.serve(call.path);
    } else if (match.path_known) {
      outcome.response = error_response(405, ErrorCode::method_not_allowed,
                                        request.method + " is not allowed here; use " + join(match.allowed_methods));
      outcome.response.set_header("Allow", join(match.allowed_methods));
    } else {
      outcome.response =
          error_response(404, ErrorCode::not_found, "no such endpoint: " + request.method + " " + call.path);
    }
    return outcome;
  }
  outcome.route = match.route->pattern;
  call.path_params = std::move(match.params);

  if (match.route->access != Access::public_route) {
    auto authenticated = authenticate(request, client);
    if (auto* refusal = std::get_if<Response>(&authenticated)) {
      outcome.response = std::move(*refusal);
      return outcome;
    }
    auto principal = std::get<Principal>(std::move(authenticated));
    outcome.user = principal.user_id;
    const int64_t per_minute = context_.parts.settings.limits_for(principal.tier).requests_per_minute;
    if (const int64_t retry_after_s = rate_limiter_.acquire(principal.user_id, per_minute); retry_after_s > 0) {
      outcome.response = error_response(429, ErrorCode::rate_limited,
                                        "more than " + std::to_string(per_minute) + " requests per minute");
      outcome.response.set_header("Retry-After", std::to_string(retry_after_s));
      return outcome;
    }
    if (match.route->access == Access::admin && !principal.admin) {
      outcome.response = error_response(403, ErrorCode::forbidden, "this endpoint needs an admin key");
      return outcome;
    }
    call.principal = std::move(principal);
  }
  outcome.response = match.route->handler(call);
  return outcome;
}

std::variant<Principal, Response> ApiService::authenticate(const Request& request, const std::string& client) {
  // Past its failures, an address is answered from the key cache alone: made-up keys then cost no store lookup.
  const std::string address_key = address_limit_key(client);
  const int64_t failures_per_minute = context_.parts.settings.auth_failures_per_minute;
  const int64_t locked_out_s = failed_auth_limiter_.retry_after_s(address_key, failures_per_minute);
  auto principal = authenticator_.authenticate(request, locked_out_s > 0);
  if (principal) return std::move(principal).value();
  if (locked_out_s > 0) {
    Response refused = error_response(
        429, ErrorCode::rate_limited,
        "more than " + std::to_string(failures_per_minute) + " failed authentications per minute from this address");
    refused.set_header("Retry-After", std::to_string(locked_out_s));
    return refused;
  }
  if (principal.error().code == ErrorCode::unauthorized) failed_auth_limiter_.acquire(address_key, failures_per_minute);
  Response refused = error_response(principal.error());
  if (refused.status == 401) refused.set_header("WWW-Authenticate", "Bearer");
  return refused;
}

}  // namespace live2::api
