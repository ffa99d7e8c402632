// The HTTP server of the real `live2 serve` against hostile clients, over raw sockets on loopback: what one request
// may make the server hold (chunk extensions, chunk framing, trailers), trailers and authentication, HEAD, framing
// that RFC 9112 says to reject, the connection limit, running out of descriptors, and silent or trickling clients.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <thread>

#include "server_test_helpers.h"
#include "support/raw_connection.h"
#include "support/temp_dir.h"

namespace live2::api {
namespace {

using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::http_post_json;
using live2::testing::RawConnection;
using live2::testing::ServerOptions;
using live2::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

constexpr const char* kHealth = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";

std::unique_ptr<ServerProcess> start_server(std::map<std::string, std::string> env = {},
                                            std::optional<long> max_open_files = std::nullopt) {
  ServerOptions options;
  options.env = std::move(env);
  options.max_open_files = max_open_files;
  auto server = std::make_unique<ServerProcess>(options);
  server->start();
  return server;
}

// The status code of the response at the start of `bytes`; 0 when there is none.
int status_of(const std::string& bytes) {
  if (!bytes.starts_with("HTTP/1.") || bytes.size() < 12) return 0;
  return std::stoi(bytes.substr(9, 3));
}

int count_responses(const std::string& bytes) {
  static const std::regex status_line(R"((^|\n)HTTP/1\.[01] [0-9]{3} )");
  return static_cast<int>(std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), status_line),
                                        std::sregex_iterator()));
}

std::string header_value(const std::string& response, const std::string& name) {
  const auto at = response.find("\r\n" + name + ": ");
  if (at == std::string::npos) return {};
  const auto start = at + name.size() + 4;
  return response.substr(start, response.find("\r\n", start) - start);
}

std::string chunked_post(const std::string& target, const std::string& extra_headers = "") {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + extra_headers + "\r\n";
}

TEST(HttpServerLimits, AnUnterminatedChunkExtensionIsRefusedWithoutGrowingTheServer) {
  auto server = start_server();
  RawConnection connection(server->port());
  ASSERT_TRUE(connection.send(chunked_post("/health") + "1;a="));
  const long rss_before_kib = server->rss_kib();
  // Up to 8 MiB of extension with no line end; the server refuses after its framing limit and discards the rest.
  const std::string block(64 * 1024, 'a');
  for (int i = 0; i < 128 && connection.send(block); ++i) {
  }
  const auto received = connection.read_until_closed();
  EXPECT_TRUE(received.closed);
  EXPECT_EQ(status_of(received.bytes), 413) << received.bytes;
  EXPECT_THAT(received.bytes, HasSubstr("payload_too_large"));
  EXPECT_LT(server->rss_kib() - rss_before_kib, 2 * 1024);
  EXPECT_EQ(http_get(server->url("/health")).status, 200);
}

TEST(HttpServerLimits, ChunkExtensionsAndTrailersShareOneFramingLimit) {
  auto server = start_server();
  {  // 40 chunks of one byte, each with a 1000-byte extension: every line ends, but together they are too much.
    RawConnection connection(server->port());
    std::string request = chunked_post("/health");
    for (int i = 0; i < 40; ++i) request += "1;e=" + std::string(1000, 'x') + "\r\na\r\n";
    connection.send(request);
    const auto received = connection.read_until_closed();
    EXPECT_TRUE(received.closed);
    EXPECT_EQ(status_of(received.bytes), 413) << received.bytes;
  }
  {  // 40 trailer fields of 1000 bytes
    RawConnection connection(server->port());
    std::string request = chunked_post("/health") + "1\r\na\r\n0\r\n";
    for (int i = 0; i < 40; ++i) request += "X-T" + std::to_string(i) + ": " + std::string(1000, 'x') + "\r\n";
    connection.send(request + "\r\n");
    const auto received = connection.read_until_closed();
    EXPECT_TRUE(received.closed);
    EXPECT_EQ(status_of(received.bytes), 413) << received.bytes;
  }
}

// The parser consumes complete field lines as they arrive; the 16 KiB header limit counts them all.
TEST(HttpServerLimits, AHeaderOverItsLimitIs431AlsoWhenItTricklesIn) {
  auto server = start_server();
  RawConnection connection(server->port());
  ASSERT_TRUE(connection.send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  for (int i = 0; i < 12 && connection.send("X-Pad-" + std::to_string(i) + ": " + std::string(2000, 'p') + "\r\n");
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto received = connection.read_until_closed();
  EXPECT_TRUE(received.closed);
  EXPECT_EQ(status_of(received.bytes), 431) << received.bytes;
  EXPECT_THAT(received.bytes, HasSubstr("header_too_large"));
}

TEST(HttpServerLimits, TrailersNeverAuthenticate) {
  auto server = start_server();
  const std::string key = server->create_key("alice", "hobby");
  const std::string body = testing::job_body();
  RawConnection connection(server->port());
  std::ostringstream size;
  size << std::hex << body.size();
  ASSERT_TRUE(connection.send(chunked_post("/api/v1/jobs", "Content-Type: application/json\r\nConnection: close\r\n") +
                              size.str() + "\r\n" + body + "\r\n0\r\nAuthorization: Bearer " + key + "\r\n\r\n"));
  const auto received = connection.read_until_closed();
  EXPECT_EQ(status_of(received.bytes), 401) << received.bytes;
  // The same key in the header works.
  EXPECT_EQ(http_post_json(server->url("/api/v1/jobs"), body, bearer(key)).status, 202);
}

// HEAD gets the header GET gets, Content-Length included, and not one body byte: the next pipelined response
// follows the header directly.
TEST(HttpServerLimits, HeadGetsTheHeaderOfGetAndNoBody) {
  live2::testing::TempDir web;
  std::filesystem::create_directories(web / "assets");
  std::ofstream(web / "index.html") << "<html>live2 dashboard</html>";
  std::ofstream(web / "assets" / "app.js") << "console.log(1)";
  auto server = start_server({{"LIVE2_WEB_DIR", web.path().string()}});
  const std::string key = server->create_key("alice", "hobby");

  for (const std::string path : {"/health", "/assets/app.js", "/jobs/job_123"}) {
    RawConnection connection(server->port());
    ASSERT_TRUE(connection.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + path +
                                " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    const std::string head = connection.read_response(/*head_request=*/true);
    const std::string get = connection.read_response();
    EXPECT_EQ(status_of(head), 200) << path << "\n" << head;
    EXPECT_EQ(status_of(get), 200) << path << " (body bytes after the HEAD answer?)\n" << get;
    const std::string length = header_value(head, "Content-Length");
    EXPECT_FALSE(length.empty()) << head;
    EXPECT_EQ(length, header_value(get, "Content-Length")) << path;
    EXPECT_EQ(length, std::to_string(get.size() - get.find("\r\n\r\n") - 4)) << path;
    EXPECT_EQ(header_value(head, "Content-Type"), header_value(get, "Content-Type")) << path;
    const auto rest = connection.read_until_closed();
    EXPECT_TRUE(rest.closed);
    EXPECT_EQ(rest.bytes, "") << path;
  }

  // An event stream answers HEAD with its header only and closes.
  auto submitted = http_post_json(server->url("/api/v1/jobs"), testing::job_body(), bearer(key));
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string job_id(testing::parse_body(submitted).at("job_id").as_string());
  RawConnection stream(server->port());
  ASSERT_TRUE(stream.send("HEAD /api/v1/jobs/" + job_id + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                          key + "\r\n\r\n"));
  const auto received = stream.read_until_closed();
  EXPECT_TRUE(received.closed);
  EXPECT_EQ(status_of(received.bytes), 200) << received.bytes;
  EXPECT_THAT(received.bytes, ::testing::EndsWith("\r\n\r\n")) << "no body after the header";
}

// Each request is followed by a pipelined GET /health that must never be answered: after a framing error the
// server cannot know where the next request starts, so it answers once and closes.
TEST(HttpServerLimits, FramingThatRfc9112RejectsIsRefusedAndTheConnectionClosed) {
  auto server = start_server();
  const std::string chunked_body = "1\r\na\r\n0\r\n\r\n";
  const std::vector<std::pair<std::string, int>> cases = {
      {"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + chunked_body, 400},
      {"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n", 400},
      {"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n" + chunked_body, 400},
      {"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + chunked_body, 501},
      {"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
           chunked_body, 501},
      {"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nContent-Length: 1\r\n\r\na", 400},
      {"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body,
       400},
      {"POST /health HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked_body, 400},
      {"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\na", 400},
      {"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\na", 400},
      {"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\naa", 400},
      {"GET /health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", 400},
      {"GET /health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n\tb\r\n\r\n", 400},
      {"GET /health HTTP/1.1\r\nHost : x\r\n\r\n", 400},
      {"GET /health HTTP/1.1\r\nHost: x\x01y\r\n\r\n", 400},
      {std::string("GET /health HTTP/1.1\r\nHost: x\0y\r\n\r\n", 33), 400},
  };
  for (const auto& [request, expected_status] : cases) {
    RawConnection connection(server->port());
    connection.send(request + kHealth);
    const auto received = connection.read_until_closed();
    EXPECT_TRUE(received.closed) << request;
    EXPECT_EQ(status_of(received.bytes), expected_status) << request << "\n---\n" << received.bytes;
    EXPECT_EQ(count_responses(received.bytes), 1) << request << "\n---\n" << received.bytes;
  }
  EXPECT_EQ(http_get(server->url("/health")).status, 200);
}

TEST(HttpServerLimits, ConnectionsPastTheLimitGet503AndTheRestAreServed) {
  auto server = start_server({{"LIVE2_MAX_CONNECTIONS", "8"}});
  // Eight keep-alive connections, each answered once, so the server has surely counted them. The harness's own
  // /health probe may be counted for a moment after it closed, so a refused one is tried again.
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(testing::eventually([&] {
      auto connection = std::make_unique<RawConnection>(server->port());
      if (!connection->send(kHealth) || status_of(connection->read_response()) != 200) return false;
      held.push_back(std::move(connection));
      return true;
    }, 5'000)) << "connection " << i;
  }
  RawConnection ninth(server->port());
  ninth.send(kHealth);
  const auto refused = ninth.read_until_closed();
  EXPECT_TRUE(refused.closed);
  EXPECT_EQ(status_of(refused.bytes), 503) << refused.bytes;
  EXPECT_THAT(refused.bytes, HasSubstr("\"unavailable\""));
  // The held connections are still served, and a freed slot is used again.
  ASSERT_TRUE(held.front()->send(kHealth));
  EXPECT_EQ(status_of(held.front()->read_response()), 200);
  held.pop_back();
  EXPECT_TRUE(testing::eventually([&] { return http_get(server->url("/health")).status == 200; }, 5'000));
}

// Opens `connections` idle connections into `held` against a server with fewer descriptors than that, then measures
// the server's CPU use over two seconds and how fast it answers on `keep_alive` (served once before).
struct DescriptorSqueeze {
  double cpu_seconds_per_second = 0;
  long keep_alive_answer_ms = 0;
  std::string keep_alive_answer;
};

DescriptorSqueeze squeeze(ServerProcess& server, RawConnection& keep_alive, int connections,
                          std::vector<std::unique_ptr<RawConnection>>& held) {
  for (int i = 0; i < connections; ++i) held.push_back(std::make_unique<RawConnection>(server.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the server accepts what it can
  DescriptorSqueeze result;
  const double cpu_before = server.cpu_seconds();
  const auto measured_from = Clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  result.cpu_seconds_per_second =
      (server.cpu_seconds() - cpu_before) / std::chrono::duration<double>(Clock::now() - measured_from).count();
  const auto asked = Clock::now();
  keep_alive.send(kHealth);
  result.keep_alive_answer = keep_alive.read_response();
  result.keep_alive_answer_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - asked).count();
  ::testing::Test::RecordProperty("cpu_seconds_per_second", std::to_string(result.cpu_seconds_per_second));
  ::testing::Test::RecordProperty("keep_alive_answer_ms", std::to_string(result.keep_alive_answer_ms));
  return result;
}

TEST(HttpServerLimits, OutOfDescriptorsTheServerBacksOffAndKeepsServing) {
  // A connection limit above the descriptor limit, so accept() itself runs out (EMFILE).
  auto server = start_server({{"LIVE2_MAX_CONNECTIONS", "1000"}, {"LIVE2_HEADER_TIMEOUT_MS", "60000"}}, 256);
  RawConnection keep_alive(server->port());
  ASSERT_TRUE(keep_alive.send(kHealth));
  ASSERT_EQ(status_of(keep_alive.read_response()), 200);

  std::vector<std::unique_ptr<RawConnection>> held;
  const auto squeezed = squeeze(*server, keep_alive, 300, held);
  EXPECT_LT(squeezed.cpu_seconds_per_second, 0.2) << "the accept loop spins";
  EXPECT_EQ(status_of(squeezed.keep_alive_answer), 200);
  EXPECT_LT(squeezed.keep_alive_answer_ms, 1'000);
  EXPECT_THAT(server->log_text(), HasSubstr("accept_backoff"));
  held.clear();
  // With descriptors free again, new connections are accepted.
  EXPECT_TRUE(testing::eventually([&] { return http_get(server->url("/health")).status == 200; }, 5'000));
}

TEST(HttpServerLimits, TheDefaultConnectionLimitLeavesDescriptorsForTheRest) {
  auto server = start_server({{"LIVE2_HEADER_TIMEOUT_MS", "60000"}}, 256);
  EXPECT_TRUE(testing::eventually(
      [&] { return server->log_text().find("at most 96 connections (256 open files)") != std::string::npos; }))
      << server->log_text();
  RawConnection keep_alive(server->port());
  ASSERT_TRUE(keep_alive.send(kHealth));
  ASSERT_EQ(status_of(keep_alive.read_response()), 200);

  std::vector<std::unique_ptr<RawConnection>> held;
  const auto squeezed = squeeze(*server, keep_alive, 300, held);
  EXPECT_LT(squeezed.cpu_seconds_per_second, 0.2);
  EXPECT_EQ(status_of(squeezed.keep_alive_answer), 200);
  EXPECT_LT(squeezed.keep_alive_answer_ms, 1'000);
  // A new client is told at once that the server is full.
  const auto asked = Clock::now();
  RawConnection newcomer(server->port(), 1'000);
  newcomer.send(kHealth);
  EXPECT_EQ(status_of(newcomer.read_until_closed().bytes), 503);
  EXPECT_LT(Clock::now() - asked, std::chrono::seconds(1));
  EXPECT_THAT(server->log_text(), ::testing::Not(HasSubstr("accept_backoff")));
}

// The header deadline runs from the first byte (from the connection's start for a client that sends nothing) and
// covers the whole header, however slowly it trickles in.
TEST(HttpServerLimits, SilentAndTricklingClientsAreClosedAtTheHeaderDeadline) {
  auto server = start_server({{"LIVE2_HEADER_TIMEOUT_MS", "500"}});
  const auto connected = Clock::now();
  RawConnection silent(server->port());
  const auto closed_silent = silent.read_until_closed();
  EXPECT_TRUE(closed_silent.closed);
  EXPECT_EQ(closed_silent.bytes, "");
  EXPECT_LT(Clock::now() - connected, std::chrono::milliseconds(2'000));

  RawConnection trickling(server->port(), 100);
  const auto started = Clock::now();
  bool closed = false;
  trickling.send("GET /health HTTP/1.1\r\n");
  while (!closed && Clock::now() - started < std::chrono::seconds(5)) {
    trickling.send("X");  // a byte every 100 ms (the read timeout paces the loop)
    closed = trickling.read_until_closed().closed;
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(2'000));
}

}  // namespace
}  // namespace live2::api
