#include "client/http_transport.h"

#include <algorithm>
#include <cctype>

namespace live2::client {
namespace {

HttpExchange exchange_of(const HttpRequest& request) {
  HttpExchange exchange;
  exchange.method = request.method;
  exchange.url = request.url;
  for (const auto& [name, value] : request.headers) exchange.headers.push_back({name, value});
  exchange.body = request.body;
  exchange.timeout_ms = request.timeout_ms;
  exchange.stall_timeout_ms = request.idle_timeout_ms;
  return exchange;
}

Result<HttpResponse> response_of(const HttpRequest& request, Result<live2::HttpResponse> answer) {
  if (!answer) {
    Error error = answer.error();
    error.message = request.method + " " + request.url + ": " + error.message;
    return error;
  }
  HttpResponse response{answer->status, {}, std::move(answer->body)};
  for (live2::HttpHeader& header : answer->headers) {
    std::string name = std::move(header.name);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    response.headers[name] = std::move(header.value);
  }
  return response;
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

CurlHttpTransport::CurlHttpTransport()
    : transport_(CurlTransportOptions{10'000, 4, "live2-cli/" LIVE2_VERSION}) {}

Result<HttpResponse> CurlHttpTransport::send(const HttpRequest& request) {
  return response_of(request, transport_.send(exchange_of(request)));
}

Result<HttpResponse> CurlHttpTransport::stream(const HttpRequest& request, const ChunkHandler& on_chunk) {
  HttpExchange exchange = exchange_of(request);
  exchange.on_body = on_chunk;
  return response_of(request, transport_.send(exchange));
}

}  // namespace live2::client
