// A bounded, seeded fuzz of the job-submit route: request lines, header fields and JSON bodies (request_fuzzer.h).
// Every case must end in a 2xx, a 4xx, 501 or 503, or a close, within seconds; no answer is much larger than its
// request (a 422 lists a bounded number of problems); and bad input changes nothing: the attacker's jobs are exactly
// the ones the server said it accepted. LIVE2_HOSTILE_SEED and LIVE2_HOSTILE_CASES change the seed and the count.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <regex>
#include <set>

#include "hostile_server.h"
#include "attack_connection.h"
#include "request_fuzzer.h"
#include "support/http_client.h"

namespace live2::hostile {
namespace {

constexpr uint64_t kDefaultSeed = 20261205;
constexpr int kDefaultCases = 1'500;

uint64_t setting(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::strtoull(text, nullptr, 10) : fallback;
}

// The bytes as a C string literal, at most `max_bytes` of them, for a failure message that reproduces the case.
// The status of the final response in `bytes` (interim 1xx answers such as 100 Continue skipped), 0 when none.
int final_status(std::string_view bytes) {
  int status = status_of(bytes);
  while (status >= 100 && status < 200) {
    const size_t next = bytes.find("\r\n\r\n");
    if (next == std::string_view::npos) return 0;
    bytes.remove_prefix(next + 4);
    status = status_of(bytes);
  }
  return status;
}

std::string escaped(std::string_view bytes, size_t max_bytes = 400) {
  std::string out;
  for (unsigned char c : bytes.substr(0, max_bytes)) {
    if (c == '\r') out += "\\r";
    else if (c == '\n') out += "\\n";
    else if (c == '"' || c == '\\') out += std::string("\\") + static_cast<char>(c);
    else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
    else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out + (bytes.size() > max_bytes ? "...(" + std::to_string(bytes.size()) + " bytes)" : "");
}

TEST(HostileFuzz, FuzzedSubmissionsGetClearAnswersAndChangeNothingButAcceptedJobs) {
  const uint64_t seed = setting("LIVE2_HOSTILE_SEED", kDefaultSeed);
  const int cases = static_cast<int>(setting("LIVE2_HOSTILE_CASES", kDefaultCases));
  std::cout << "[hostile] fuzz seed " << seed << ", " << cases << " cases (LIVE2_HOSTILE_SEED=" << seed
            << " reproduces them)\n";
  HostileServer target;
  target.start();
  RequestFuzzer fuzzer(seed, target.attacker_key());
  const std::regex job_id_field(R"re("job_id":"(job_[A-Za-z0-9_]+)")re");
  std::set<std::string> accepted;
  std::map<int, int> by_status;
  int failures = 0;
  for (int i = 0; i < cases && failures < 10; ++i) {
    const FuzzCase fuzz_case = fuzzer.next();
    auto connection = AttackConnection::open(target.port());
    ASSERT_TRUE(connection) << "case " << i << ": the server refused the connection" << target.log_tail();
    connection->send_all(fuzz_case.bytes, 3'000);  // the server may answer and close before reading everything
    connection->finish_sending();
    const auto reply = connection->read_until_closed(target.header_timeout_ms() + 2'000, 64u << 20);
    const int status = final_status(reply.bytes);
    ++by_status[status];
    const std::string where = "case " + std::to_string(i) + " (" + fuzz_case.kind + ", seed " + std::to_string(seed) +
                              "): \"" + escaped(fuzz_case.bytes) + "\"\n  answer: \"" + escaped(reply.bytes, 300) + "\"";
    // 501 is RFC 9112's answer to a transfer coding the server does not implement; 503 to a full server.
    const bool ok_status = status == 0 || (status >= 200 && status < 300) || (status >= 400 && status < 500) ||
                           status == 501 || status == 503;
    const bool bounded = reply.bytes.size() <= 2 * fuzz_case.bytes.size() + 16 * 1024;
    const bool trailer_authenticated = fuzz_case.kind == "header:trailer-auth" && status >= 200 && status < 300;
    if (!reply.closed || !ok_status || !bounded || trailer_authenticated) {
      ++failures;
      ADD_FAILURE() << (!reply.closed ? "no end within the deadline"
                        : !ok_status ? "not a 2xx, 4xx, 501 or 503"
                        : !bounded   ? "the answer is " + std::to_string(reply.bytes.size()) + " bytes"
                                     : "a key sent only as a trailer field authenticated the request")
                    << ", " << where;
    }
    if (status == 202) {
      std::smatch match;
      if (std::regex_search(reply.bytes, match, job_id_field)) accepted.insert(match[1].str());
    }
  }
  std::cout << "[hostile] fuzz answers:";
  for (const auto& [status, count] : by_status) std::cout << " " << status << "x" << count;
  std::cout << " (0: closed without an answer)\n";

  // Nothing but the accepted submissions made a job.
  std::set<std::string> listed;
  for (const auto& [job_id, status] : target.job_statuses(target.attacker_key())) listed.insert(job_id);
  EXPECT_EQ(listed, accepted);
  target.expect_survived({.connections = 2, .body_connections = 1, .json_bodies = MemoryBound::io_threads()});
}

}  // namespace
}  // namespace live2::hostile
