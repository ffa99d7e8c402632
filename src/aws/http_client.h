// HttpClient: one HTTP exchange, the seam between the AWS client layer and the network. CurlHttpClient is the
// libcurl implementation: it keeps a pool of easy handles so connections (and TLS sessions) are reused across
// calls, and sets a connect timeout and a whole-request timeout on every call. Thread-safe: any number of threads
// may call send() at once (each takes its own handle from the pool).
// Transport failures return an Error with code connection_failed (nothing reached the server: connect or DNS
// failed, so a retry is always safe) or "network_error" (sent, no complete answer: the request may have run).
// HTTP error statuses are not errors here: the caller reads HttpResponse::status.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/payload.h"
#include "aws/sigv4.h"
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
  // For calls that must not run twice (SubmitJob): a new connection, because on a reused one that closes before any
  // answer libcurl silently sends the request again, though the server may have run it before closing.
  bool fresh_connection = false;
};

struct HttpResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;

  // First header of that name (case-insensitive), empty when absent.
  std::string header(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

struct CurlHttpClientOptions {
  int64_t connect_timeout_ms = 3'000;
  int64_t total_timeout_ms = 60'000;
  int max_idle_handles = 16;
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpClientOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  struct HandlePool;
  CurlHttpClientOptions options_;
  std::unique_ptr<HandlePool> pool_;
};

}  // namespace live2::aws
