#include "aws/http_client.h"

namespace live2::aws {

CurlHttpClient::CurlHttpClient(CurlHttpClientOptions options)
    : options_(options),
      transport_(CurlTransportOptions{options.connect_timeout_ms, options.max_idle_handles, std::string()}) {}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  const bool transfer =
      request.response_file.has_value() || static_cast<int64_t>(request.body.size()) >= options_.transfer_bytes;
  HttpExchange exchange;
  exchange.method = request.method;
  exchange.url = request.url;
  exchange.headers = request.headers;
  exchange.body = request.body.view();
  exchange.timeout_ms = request.timeout_ms > 0 ? request.timeout_ms : transfer ? 0 : options_.total_timeout_ms;
  exchange.stall_timeout_ms = options_.stall_timeout_ms;
  exchange.response_file = request.response_file;
  exchange.fresh_connection = request.fresh_connection;
  return transport_.send(exchange);
}

}  // namespace live2::aws
