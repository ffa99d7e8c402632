// CurlTransport: live2's one HTTP client (libcurl), used by the AWS layer, the CLI and webhook delivery, with one
// failure taxonomy so every caller can tell "nothing was sent" from "may have run":
//   dns_failed        the name did not resolve; nothing was sent
//   connection_failed no connection (refused, unreachable, TLS handshake, connect timeout); nothing was sent, a
//                     retry is always safe
//   network_error     sent, but no complete answer (reset, closed early): the request may have run
//   timeout           the whole-request or the stall timeout passed: the request may have run
//   aborted           the caller's abort flag stopped it
//   invalid_response  an answer that is not HTTP
//   io_error          the response file could not be written
// (stream_ended belongs to the protocols above this one: a body that ends early here is a network_error.)
// An HTTP error status is not an error: the caller reads HttpResponse::status.
// Decisions: redirects are never followed; libcurl's default POST Content-Type and `Expect: 100-continue` are never
// sent; only http and https; a body is sent for any method but GET, HEAD and DELETE, or when it is not empty.
// Connections: idle easy handles are pooled, each keeping its connection (and TLS session) cache, so calls reuse
// connections; `fresh_connection` opts out for calls that must not run twice (on a reused connection that closes
// before any answer libcurl silently sends the request again). A pinned request (connect_to) never shares a
// connection, uses no proxy, and can open a socket to its pinned address only.
// Thread-safe: any number of threads may call send() at once (each takes its own handle from the pool).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ip_network.h"
#include "base/result.h"

namespace live2 {

struct HttpHeader {
  std::string name;
  std::string value;  // empty: the header is sent with an empty value
};

// Connect to this address and port whatever host the URL names (the URL's host is still the Host header and the
// TLS name): the caller checked the address, and no DNS lookup of our own may replace it.
struct PinnedAddress {
  IpBytes address{};  // IPv4 in its mapped form, as parse_ip_address gives it
  uint16_t port = 0;
};

struct HttpExchange {
  std::string method = "GET";
  std::string url;  // already encoded
  std::vector<HttpHeader> headers;
  std::string_view body;  // the caller keeps the bytes alive during send() (a string or a mapped file)
  int64_t timeout_ms = 0;        // the whole exchange; 0: none
  int64_t stall_timeout_ms = 0;  // fails when no byte moves either way for this long (checked ~1/s); 0: none
  // A 2xx body goes to exactly one of: `on_body` (as it arrives; returning false ends the exchange successfully),
  // `response_file` (created even when empty), nowhere (`discard_body`), or HttpResponse::body. Other statuses
  // always go to HttpResponse::body, so the error object can be read.
  std::function<bool(std::string_view chunk)> on_body;
  std::optional<std::filesystem::path> response_file;
  bool discard_body = false;  // also for non-2xx: only the status matters
  bool fresh_connection = false;
  std::optional<PinnedAddress> connect_to;
  const std::atomic<bool>* abort = nullptr;  // checked about once a second and whenever data moves
};

struct HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;  // of the final response, names as the server spelled them
  std::string body;

  // First header of that name (case-insensitive), empty when absent.
  std::string header(std::string_view name) const;
};

struct CurlTransportOptions {
  int64_t connect_timeout_ms = 10'000;
  int max_idle_handles = 16;
  std::string user_agent;  // empty: no User-Agent header
};

class CurlTransport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport();
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> send(const HttpExchange& exchange);

 private:
  struct HandlePool;
  CurlTransportOptions options_;
  std::unique_ptr<HandlePool> pool_;
};

}  // namespace live2
