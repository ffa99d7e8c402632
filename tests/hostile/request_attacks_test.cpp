// Hostile requests: floods of bytes the server must not hold (chunk extensions, trailers, chunk-size digits), a
// few thousand requests with made-up methods, and garbage bytes. Each test runs against a real `live2 serve` while
// a legitimate client keeps submitting jobs, then checks the aftermath (HostileServer::expect_survived).
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "hostile_server.h"
#include "attack_connection.h"
#include "support/http_client.h"

namespace live2::hostile {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr uint64_t kSeed = 12;  // the attacks below are random but the same on every run

struct Flood {
  std::string name;
  std::string head;    // sent once
  std::string filler;  // then repeated, never completing what the head started
};

std::vector<Flood> floods(const std::string& attacker_key) {
  const std::string chunked_health = "POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunked_submit = "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                                     attacker_key +
                                     "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  return {
      {"one endless chunk extension (/health)", chunked_health + "1;a=", std::string(64 * 1024, 'a')},
      {"one endless chunk extension (submit)", chunked_submit + "1;a=", std::string(64 * 1024, 'a')},
      {"many chunk extensions", chunked_health + "1", [] {
         std::string many;
         while (many.size() < 64 * 1024) many += ";a=b";
         return many;
       }()},
      {"endless chunk-size digits", chunked_submit, std::string(64 * 1024, '0')},
      {"one endless trailer field", chunked_health + "1\r\nx\r\n0\r\nX-Trailer: ", std::string(64 * 1024, 't')},
      {"many trailer fields", chunked_submit + "2\r\n{}\r\n0\r\n", [] {
         std::string many;
         for (int i = 0; many.size() < 64 * 1024; ++i) many += "X-T" + std::to_string(i) + ": v\r\n";
         return many;
       }()},
  };
}

struct FloodOutcome {
  size_t sent_bytes = 0;       // before the answer came (or all of it)
  int status = 0;              // of the answer, 0 when none
  bool closed = false;         // the server ended the connection
  long answered_after_ms = -1;
};

// Sends the head, then the filler until the server answers or closes, `max_bytes` are out or 10 s pass.
FloodOutcome run_flood(int port, const Flood& flood, size_t max_bytes) {
  FloodOutcome outcome;
  auto connection = AttackConnection::open_with_small_send_buffer(port);
  if (!connection || !connection->send_all(flood.head)) return outcome;
  const auto started = Clock::now();
  const auto deadline = started + 10s;
  bool server_spoke = false;
  while (outcome.sent_bytes < max_bytes && Clock::now() < deadline) {
    if (connection->readable(0)) {
      server_spoke = true;
      break;
    }
    const long sent = connection->send_some(flood.filler);
    if (sent < 0) break;  // reset: the server closed on us
    outcome.sent_bytes += static_cast<size_t>(sent);
    if (sent == 0) connection->readable(5);  // the socket is full: give the server a moment
  }
  if (server_spoke || connection->readable(5'000)) {
    const auto drained = connection->read_until_closed(5'000);
    outcome.status = status_of(drained.bytes);
    outcome.closed = drained.closed;
  } else {
    outcome.closed = connection->send_some("x") < 0;
  }
  outcome.answered_after_ms =
      static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count());
  return outcome;
}

TEST(HostileRequests, FloodsOfChunkExtensionsTrailersAndDigitsAreCutOff) {
  HostileServer target;
  target.start();
  constexpr size_t kMaxFloodBytes = 64u << 20;
  const std::vector<Flood> attacks = floods(target.attacker_key());
  std::vector<FloodOutcome> outcomes(attacks.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < attacks.size(); ++i) {
    threads.emplace_back([&, i] { outcomes[i] = run_flood(target.port(), attacks[i], kMaxFloodBytes); });
  }
  for (auto& thread : threads) thread.join();
  for (size_t i = 0; i < attacks.size(); ++i) {
    const FloodOutcome& outcome = outcomes[i];
    std::cout << "[hostile] flood \"" << attacks[i].name << "\": " << outcome.sent_bytes << " bytes sent, answer "
              << outcome.status << (outcome.closed ? ", closed" : ", still open") << " after "
              << outcome.answered_after_ms << " ms\n";
    EXPECT_TRUE(outcome.status == 400 || outcome.status == 413 || outcome.status == 431)
        << attacks[i].name << ": answered " << outcome.status << " after " << outcome.sent_bytes << " bytes";
    EXPECT_TRUE(outcome.closed) << attacks[i].name << ": the connection was not closed";
  }
  target.expect_survived({.connections = static_cast<int64_t>(attacks.size()),
                          .body_connections = static_cast<int64_t>(attacks.size())});
}

// Methods nobody defined, on known and unknown paths: each gets a 4xx (or 501, RFC 9110's answer to an unknown
// method), and /metrics keeps a fixed set of labels.
TEST(HostileRequests, MadeUpMethodsAreRefusedAndLeaveMetricsBounded) {
  const int metrics_port = testing::free_loopback_port();
  HostileServer target({{"LIVE2_METRICS_LISTEN", "127.0.0.1:" + std::to_string(metrics_port)}});
  target.start();
  const std::string metrics_url = "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics";
  const auto before = testing::http_get(metrics_url, testing::bearer(target.admin_key()));
  ASSERT_EQ(before.status, 200) << before.body;

  constexpr int kThreads = 4;
  constexpr int kRequestsPerThread = 800;
  std::vector<std::set<std::string>> methods(kThreads);
  std::vector<std::vector<std::string>> wrong(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 random(kSeed + static_cast<uint64_t>(t));
      const std::string letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      const std::vector<std::string> paths{"/health", "/api/v1/jobs", "/api/v1/jobs/job_x", "/nowhere", "/metrics",
                                           "/"};
      std::optional<AttackConnection> connection;
      for (int i = 0; i < kRequestsPerThread; ++i) {
        std::string method = "X";
        for (size_t n = 4 + random() % 10; n > 0; --n) method += letters[random() % letters.size()];
        methods[t].insert(method);
        const std::string request = method + " " + paths[random() % paths.size()] + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                    "Authorization: Bearer " + target.attacker_key() + "\r\n\r\n";
        if (!connection) connection = AttackConnection::open(target.port());
        auto answer = connection ? connection->exchange(request, 2'000) : std::nullopt;
        if (!answer || answer->status < 400 || (answer->status > 499 && answer->status != 501)) {
          wrong[t].push_back(method + ": " + (answer ? answer->head : "no answer"));
        }
        if (!answer || !answer->keep_alive) connection.reset();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& answers : wrong) {
    EXPECT_TRUE(answers.empty()) << answers.size() << " made-up methods were not answered with a 4xx or 501, e.g. "
                                 << answers.front();
  }

  const auto after = testing::http_get(metrics_url, testing::bearer(target.admin_key()));
  ASSERT_EQ(after.status, 200);
  std::cout << "[hostile] /metrics was " << before.body.size() << " bytes, " << after.body.size() << " after "
            << kThreads * kRequestsPerThread << " made-up methods\n";
  int leaked = 0;
  for (const auto& set : methods) {
    for (const auto& method : set) leaked += after.body.find("\"" + method + "\"") != std::string::npos;
  }
  EXPECT_EQ(leaked, 0) << "made-up methods became label values";
  // The method label takes a fixed set of values.
  const std::set<std::string> allowed{"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
                                      "other"};
  const std::regex method_label(R"re(method="([^"]*)")re");
  std::set<std::string> unknown_labels;
  for (auto it = std::sregex_iterator(after.body.begin(), after.body.end(), method_label); it != std::sregex_iterator();
       ++it) {
    if (!allowed.count((*it)[1].str())) unknown_labels.insert((*it)[1].str());
  }
  EXPECT_TRUE(unknown_labels.empty()) << unknown_labels.size() << " method label values outside the fixed set, e.g. "
                                      << *unknown_labels.begin();
  EXPECT_LT(after.body.size(), before.body.size() + 64 * 1024) << "/metrics grew with made-up methods";
  target.expect_survived({.connections = kThreads});
}

// Random bytes, and random bytes after a valid start: the server answers 4xx (501 for what it does not implement)
// or closes, never another 5xx, and never hangs.
TEST(HostileRequests, GarbageBytesAreRefusedOrClosedAndNeverHang) {
  HostileServer target;
  target.start();
  constexpr int kConnections = 300;
  std::mt19937_64 random(kSeed);
  const std::vector<std::string> prefixes{"", "GET / HTTP/1.1\r\n", "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\n",
                                          "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n",
                                          "\r\n\r\n", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"};
  int answered = 0;
  for (int i = 0; i < kConnections; ++i) {
    std::string bytes = prefixes[random() % prefixes.size()];
    const size_t length = 1 + random() % (i % 10 == 0 ? 64 * 1024 : 2'048);
    for (size_t n = 0; n < length; ++n) bytes += static_cast<char>(random() % 256);
    auto connection = AttackConnection::open(target.port());
    ASSERT_TRUE(connection);
    connection->send_all(bytes, 2'000);  // the server may close before it has read everything
    connection->finish_sending();
    const auto reply = connection->read_until_closed(target.header_timeout_ms() + 2'000);
    EXPECT_TRUE(reply.closed) << "garbage " << i << " left the connection hanging";
    for (size_t at = reply.bytes.find("HTTP/1.1 "); at != std::string::npos; at = reply.bytes.find("HTTP/1.1 ", at + 1)) {
      const int status = status_of(std::string_view(reply.bytes).substr(at));
      EXPECT_TRUE(status < 500 || status == 501) << "garbage " << i << " got " << reply.bytes.substr(at, 200);
      answered += status > 0;
    }
  }
  std::cout << "[hostile] " << kConnections << " connections of garbage, " << answered << " answers\n";
  target.expect_survived({.connections = 2});
}

}  // namespace
}  // namespace live2::hostile
