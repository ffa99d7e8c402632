// HttpTransport: the client's one outside effect, an HTTP exchange. ApiClient builds requests and reads responses
// through it, so its error mapping can be tested without a server. CurlHttpTransport is the real one, an adapter
// over base/http_transport.h (its failure taxonomy, connection reuse); thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/http_transport.h"
#include "base/result.h"

namespace live2::client {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t timeout_ms = 30'000;     // whole exchange; 0 = none (streams), idle_timeout_ms still applies
  int64_t idle_timeout_ms = 60'000;  // abort when nothing arrives for this long
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;                            // for streams: only a non-2xx body (the error object)

  std::string header(const std::string& lower_case_name) const;
};

class HttpTransport {
 public:
  using ChunkHandler = std::function<bool(std::string_view chunk)>;  // false stops reading

  virtual ~HttpTransport() = default;
  // An Error with the transport's code (base/http_transport.h) when no response arrived.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
  // Like send, but a 2xx body is handed to `on_chunk` as it arrives instead of being kept.
  virtual Result<HttpResponse> stream(const HttpRequest& request, const ChunkHandler& on_chunk) = 0;
};

class CurlHttpTransport final : public HttpTransport {
 public:
  CurlHttpTransport();

  Result<HttpResponse> send(const HttpRequest& request) override;
  Result<HttpResponse> stream(const HttpRequest& request, const ChunkHandler& on_chunk) override;

 private:
  CurlTransport transport_;
};

}  // namespace live2::client
