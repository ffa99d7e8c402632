#include "webhooks/webhook_transport.h"

#include <algorithm>

namespace live2::webhooks {
namespace {

// The transport's pin holds an IPv4 address in its IPv6-mapped form.
IpBytes pinned_bytes(const IpAddress& address) {
  IpBytes bytes{};
  if (address.is_v6) return address.bytes;
  bytes[10] = bytes[11] = 0xff;
  std::copy_n(address.bytes.begin(), 4, bytes.begin() + 12);
  return bytes;
}

}  // namespace

CurlWebhookTransport::CurlWebhookTransport()
    : transport_(CurlTransportOptions{10'000, 0, "live2-webhooks/" LIVE2_VERSION}) {}

Result<int> CurlWebhookTransport::post(const WebhookRequest& request) {
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = request.target.url;
  exchange.headers.push_back({"Content-Type", "application/json"});
  for (const auto& [name, value] : request.headers) exchange.headers.push_back({name, value});
  exchange.body = request.body;
  exchange.timeout_ms = request.timeout_ms;
  exchange.discard_body = true;
  exchange.connect_to = PinnedAddress{pinned_bytes(request.target.address), request.target.port};
  exchange.abort = request.abort;
  Result<HttpResponse> response = transport_.send(exchange);
  if (!response) return response.error();
  return response->status;
}

}  // namespace live2::webhooks
