// HttpServer: HTTP/1.1 on Boost.Beast/Asio (the only file of live2 that includes Beast: handlers see plain Request and
// Response). N io threads share one io_context; each connection runs on its own strand and calls the handler
// synchronously there, so a handler may block briefly (SQLite) but must not wait for other requests.
// Keep-alive; a header deadline for each request's whole header from its first byte (header_timeout_ms, also for a
// connection that never sends one) and an idle deadline between requests, for a whole body and for each write
// (idle_timeout_ms). What a request makes the server hold is bounded: a 16 KiB header (431 past it), 16 KiB of chunk
// framing (chunk-size lines with extensions, trailers; 413 past it) and the body: bodies over max_body_bytes reach the
// handler as `body_too_large` (it answers 413 and the connection closes). Trailers never reach the handler.
// Framing that RFC 9112 says to reject (Transfer-Encoding on HTTP/1.0, with Content-Length or without chunked last,
// several Content-Lengths, obs-fold, ...) gets 400 (501 for an unknown transfer coding), and every such refusal
// closes the connection. HEAD gets GET's header without a body. `Expect: 100-continue` is honoured.
// An event stream's chunks waiting for a client that does not read are bounded (1 MiB; past it the stream ends).
// At most max_connections connections are served; past it a new one gets 503 and is closed. Out of descriptors, the
// server stops accepting for a moment instead of spinning, and keeps serving the open connections.
// With `tls` set it speaks HTTPS only (TlsContext: TLS 1.2+, Mozilla's intermediate suites): the handshake counts
// against the first request's header deadline and, as a connection, against max_connections; each connection keeps
// the context it was accepted with, so TlsContext::reload() changes what new connections get without dropping open
// ones; every response carries Strict-Transport-Security.
// shutdown(): stops accepting, closes idle connections, lets in-flight requests finish, ends event streams, then
// stops the threads (connections still open after grace_ms are cut). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_message.h"
#include "api/tls_context.h"
#include "base/result.h"

namespace live2::api {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one (see port())
  int io_threads = 2;
  int64_t max_body_bytes = 1 << 20;
  int64_t header_timeout_ms = 10'000;
  int64_t idle_timeout_ms = 60'000;
  int64_t max_connections = 1'000;
  std::shared_ptr<TlsContext> tls;  // null: plain HTTP
};

using RequestHandler = std::function<Response(Request& request)>;

class HttpServer {
 public:
  // Binds and starts serving. Errors: `invalid_listen` (unparsable address), `bind_failed`.
  static Result<std::unique_ptr<HttpServer>> start(const HttpServerOptions& options, RequestHandler handler);
  ~HttpServer();  // shutdown(0) if still running

  int port() const;
  void shutdown(int64_t grace_ms);

  class Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace live2::api
