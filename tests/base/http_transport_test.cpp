// CurlTransport against a scripted loopback server: the failure taxonomy, pinning to a checked address, a streamed
// body, and the abort flag.
#include "base/http_transport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "base/loopback_server.h"

namespace live2 {
namespace {

using testing::LoopbackServer;
using testing::ScriptedAnswer;

ScriptedAnswer answer_with(std::string body) {
  ScriptedAnswer answer;
  answer.body = std::move(body);
  return answer;
}

TEST(HttpTransport, RefusedConnectionIsConnectionFailed) {
  CurlTransport transport;
  HttpExchange exchange;
  exchange.url = "http://127.0.0.1:1/";
  Result<HttpResponse> response = transport.send(exchange);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::connection_failed);
}

TEST(HttpTransport, PinnedExchangeReachesTheCheckedAddressWhateverTheUrlNames) {
  LoopbackServer server(answer_with("ok"));
  CurlTransport transport;
  HttpExchange exchange;
  exchange.method = "POST";
  exchange.url = "http://receiver.invalid:8443/hook";  // never resolved
  exchange.body = "{}";
  exchange.connect_to = PinnedAddress{*parse_ip_address("127.0.0.1"), server.port()};
  Result<HttpResponse> response = transport.send(exchange);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  ASSERT_EQ(server.request_heads().size(), 1u);
  EXPECT_NE(server.request_heads()[0].find("Host: receiver.invalid:8443"), std::string::npos);
}

TEST(HttpTransport, PinnedExchangeNeverReachesTheUrlsOwnAddress) {
  LoopbackServer server(answer_with("ok"));
  CurlTransport transport;
  HttpExchange exchange;
  exchange.url = server.base_url() + "/";  // 127.0.0.1, where the server listens
  exchange.connect_to = PinnedAddress{*parse_ip_address("127.0.0.2"), server.port()};  // nothing listens there
  Result<HttpResponse> response = transport.send(exchange);
  EXPECT_TRUE(server.request_heads().empty());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::connection_failed);
}

TEST(HttpTransport, StreamedBodyEndsWhenTheCallerSaysSo) {
  ScriptedAnswer answer = answer_with(std::string(64 * 1024, 'x'));
  answer.chunk_bytes = 1024;
  answer.interval_ms = 5;
  LoopbackServer server(answer);
  CurlTransport transport;
  HttpExchange exchange;
  exchange.url = server.base_url() + "/";
  size_t received = 0;
  exchange.on_body = [&received](std::string_view chunk) {
    received += chunk.size();
    return received < 4'096;
  };
  Result<HttpResponse> response = transport.send(exchange);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(response->body.empty());
  EXPECT_LT(received, 64u * 1024);
}

TEST(HttpTransport, TheAbortFlagEndsAnExchangeThatWouldWait) {
  ScriptedAnswer answer = answer_with("never");
  answer.stall_after_bytes = 0;
  LoopbackServer server(answer);
  CurlTransport transport;
  std::atomic<bool> abort{false};
  HttpExchange exchange;
  exchange.url = server.base_url() + "/";
  exchange.timeout_ms = 30'000;
  exchange.abort = &abort;
  std::thread stopper([&abort] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    abort = true;
  });
  const auto started = std::chrono::steady_clock::now();
  Result<HttpResponse> response = transport.send(exchange);
  stopper.join();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::aborted);
  // libcurl checks the flag about once a second while nothing moves: far below the 30 s timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace live2
