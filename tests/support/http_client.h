// A minimal blocking HTTP/1.1 client for tests (libcurl): one call, one response. Also reads streams (SSE) chunk by
// chunk until the callback says stop, the server ends it, or the timeout passes. Thread-safe: every call uses its
// own connection, so tests may call from many threads at once. Exchanges with the servers tests start are recorded
// for the contract check when CTest asks for it (api_exchange_recorder.h).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace live2::testing {

struct HttpResponse {
  long status = 0;                             // 0 when no response arrived (see transport_error)
  std::map<std::string, std::string> headers;  // names lower-cased; the last value wins
  std::string body;
  std::string transport_error;                 // libcurl's message when the exchange failed

  std::string header(const std::string& lower_case_name) const;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::map<std::string, std::string> headers;
  std::string body;
  long timeout_ms = 10'000;
};

// `ca_file`, for https: trust only this PEM certificate (a test's own CA or self-signed certificate).
HttpResponse http_request(const HttpRequest& request, const std::string& ca_file = "");

HttpResponse http_get(const std::string& url, const std::map<std::string, std::string>& headers = {});
HttpResponse http_post_json(const std::string& url, const std::string& json_body,
                            const std::map<std::string, std::string>& headers = {});

// Calls `on_chunk` with each piece of the body as it arrives; returning false closes the connection.
// The returned response has status and headers; its body holds everything received.
HttpResponse http_stream(const HttpRequest& request, const std::function<bool(std::string_view chunk)>& on_chunk,
                         const std::string& ca_file = "");

// {"Authorization": "Bearer <key>"}.
std::map<std::string, std::string> bearer(const std::string& api_key);

}  // namespace live2::testing
