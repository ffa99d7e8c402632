// HttpClient: one HTTP exchange, the seam between the AWS client layer and the network (tests put fakes here).
// CurlHttpClient is the real one, a thin adapter over base/http_transport.h (connection reuse, the failure taxonomy:
// `dns_failed`/`connection_failed` mean nothing was sent, so a retry is always safe; `network_error`/`timeout` mean
// the request may have run). Its timeouts: every call fails when no byte moves for stall_timeout_ms (a dead
// connection); a small call also has the whole-request total_timeout_ms, but a transfer (a body of at least
// transfer_bytes, or a response written to a file) has none, so a large S3 part on a slow link is not cut while it
// still moves. A request's own timeout_ms replaces the total for that call. HTTP error statuses are not errors here:
// the caller reads HttpResponse::status. Thread-safe: any number of threads may call send() at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "aws/payload.h"
#include "aws/sigv4.h"
#include "base/http_transport.h"
#include "base/result.h"

namespace live2::aws {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // already encoded
  std::vector<HttpHeader> headers;
  Payload body;
  // When set, a 2xx response body is written to this file instead of HttpResponse::body.
  std::optional<std::filesystem::path> response_file;
  int64_t timeout_ms = 0;  // 0: the client's default
  // For calls that must not run twice (SubmitJob): a new connection (see base/http_transport.h).
  bool fresh_connection = false;
};

using HttpResponse = live2::HttpResponse;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

struct CurlHttpClientOptions {
  int64_t connect_timeout_ms = 3'000;
  int64_t total_timeout_ms = 60'000;
  int64_t stall_timeout_ms = 30'000;
  int64_t transfer_bytes = 1 << 20;
  int max_idle_handles = 16;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  CurlHttpClientOptions options_;
  CurlTransport transport_;
};

}  // namespace live2::aws
