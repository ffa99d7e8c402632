// HttpServer: HTTP/1.1 on Boost.Beast/Asio (the only file of live2 that includes Beast: handlers see plain Request and
// Response). N io threads share one io_context; each connection runs on its own strand and calls the handler
// synchronously there, so a handler may block briefly (SQLite) but must not wait for other requests.
// Keep-alive; a header deadline for each request (header_timeout_ms) and an idle deadline between requests and while
// a body or response is in transit (idle_timeout_ms); bodies over max_body_bytes reach the handler as
// `body_too_large` (it answers 413 and the connection closes); `Expect: 100-continue` is honoured.
// shutdown(): stops accepting, closes idle connections, lets in-flight requests finish, ends event streams, then
// stops the threads (connections still open after grace_ms are cut). Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/http_message.h"
#include "core/result.h"

namespace live2::api {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free one (see port())
  int io_threads = 2;
  int64_t max_body_bytes = 1 << 20;
  int64_t header_timeout_ms = 10'000;
  int64_t idle_timeout_ms = 60'000;
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
