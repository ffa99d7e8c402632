// HttpServer in process against mutated requests: valid requests of every framing (plain, Content-Length, chunked with
// extensions and trailers, HEAD, pipelined) cut, flipped, duplicated and spliced by a seeded generator. Whatever
// arrives, the server answers with a well-formed status line or closes, never hands a handler more than its body
// limit, and still serves a clean request afterwards. Run under ASan + UBSan too (scripts/test.sh), where a stray
// read or overflow in the parsing paths aborts the test. Bounded: a fixed number of cases, each on a connection the
// client half-closes at once, so no case waits for a timeout.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "api/http_server.h"
#include "support/raw_connection.h"

namespace live2::api {
namespace {

constexpr uint64_t kSeed = 20261205;
constexpr int kCases = 400;
constexpr int64_t kMaxBodyBytes = 4096;

const std::vector<std::string>& seed_requests() {
  static const std::vector<std::string> requests = {
      "GET /health HTTP/1.1\r\nHost: x\r\n\r\n",
      "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "POST /jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"steps\": 10}",
      "POST /jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /files/x?expires=1&signature=abc HTTP/1.0\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
  };
  return requests;
}

// One to eight edits of the kinds that break parsers: flips, insertions of framing bytes, cuts, repeats and splices.
std::string mutate(std::string text, std::mt19937_64& random) {
  static const std::vector<std::string> framing = {"\r\n", "\r", "\n", ":", ";", " ", "\t", "0", "ffffffffffffffff",
                                                   "-1", "Transfer-Encoding: chunked\r\n", "Content-Length: 99\r\n"};
  const int edits = 1 + static_cast<int>(random() % 8);
  for (int edit = 0; edit < edits && !text.empty(); ++edit) {
    const size_t at = random() % text.size();
    switch (random() % 6) {
      case 0: text[at] = static_cast<char>(random() & 0xff); break;
      case 1: text.insert(at, framing[random() % framing.size()]); break;
      case 2: text.erase(at, 1 + random() % 16); break;
      case 3: text.insert(at, text.substr(at, 1 + random() % 64)); break;
      case 4: text.resize(at); break;
      case 5: text.insert(at, std::string(1 + random() % 8192, static_cast<char>('a' + random() % 26))); break;
    }
  }
  return text;
}

bool is_status_line_start(const std::string& answer) {
  return answer.size() >= 12 && (answer.starts_with("HTTP/1.1 ") || answer.starts_with("HTTP/1.0 ")) &&
         answer[9] >= '1' && answer[9] <= '5';
}

TEST(HttpServerFuzz, MutatedRequestsGetAnAnswerOrACloseAndTheServerKeepsServing) {
  std::atomic<int64_t> largest_body{0};
  std::atomic<int> handled{0};
  HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.max_body_bytes = kMaxBodyBytes;
  options.header_timeout_ms = 2'000;
  options.idle_timeout_ms = 2'000;
  auto server = HttpServer::start(options, [&](Request& request) {
    handled += 1;
    int64_t seen = largest_body.load();
    const auto size = static_cast<int64_t>(request.body.size());
    while (size > seen && !largest_body.compare_exchange_weak(seen, size)) {
    }
    Response response;
    response.content_type = "text/plain";
    response.body = request.method + " " + request.target;
    return response;
  });
  ASSERT_TRUE(server.ok()) << server.error().message;
  const int port = (*server)->port();

  std::mt19937_64 random(kSeed);
  int answered = 0;
  for (int index = 0; index < kCases; ++index) {
    const std::string& original = seed_requests()[random() % seed_requests().size()];
    const std::string request = mutate(original, random);
    live2::testing::RawConnection client(port, 3'000);
    client.send(request);  // the server may close before all of it is read: that is an answer too
    ::shutdown(client.fd(), SHUT_WR);
    const live2::testing::RawConnection::Received received = client.read_until_closed();
    ASSERT_TRUE(received.closed) << "seed " << kSeed << ", case " << index << ": the connection stayed open";
    if (received.bytes.empty()) continue;
    ++answered;
    EXPECT_TRUE(is_status_line_start(received.bytes))
        << "seed " << kSeed << ", case " << index << ": answer starts " << received.bytes.substr(0, 40);
  }
  EXPECT_LE(largest_body.load(), kMaxBodyBytes);
  EXPECT_GT(answered, kCases / 4) << "too few cases were answered for the generator to be exercising the server";
  EXPECT_GT(handled.load(), 0);

  live2::testing::RawConnection clean(port, 1'000);
  ASSERT_TRUE(clean.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(clean.read_response().starts_with("HTTP/1.1 200")) << "the server stopped serving after the fuzz";
  (*server)->shutdown(1'000);
}

}  // namespace
}  // namespace live2::api
