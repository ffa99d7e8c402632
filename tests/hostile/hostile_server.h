// HostileServer: the real `live2 serve` (local executor, real live2-sim workers, SQLite file in a temp dir) on
// 127.0.0.1 as the target of one hostile-client test, with three users: `legit` (research tier) whose LegitClient
// keeps submitting small jobs during the attack, `attacker` (hobby tier, see kAttackerEnv) and `ops` (admin).
// expect_survived() is the aftermath every test ends with: /health answers within a second, peak RSS is within
// the test's MemoryBound, the legitimate client is served again, no job it was promised (202) is lost, the server
// stops cleanly and SQLite's integrity_check says ok. Not thread-safe (one owner, the test's thread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "legit_client.h"
#include "support/server_process.h"

namespace live2::hostile {

// The memory the server may hold at its peak, stated from what the attack makes it hold at once:
//   baseline (RSS after start)
//   + connections x kPerConnectionBytes                  every open connection
//   + body_connections x max_body_bytes                  connections whose request body is being read
//   + json_bodies x kJsonFactor x max_body_bytes         bodies being parsed and validated
//   + kSlackBytes.
// A connection's own cost is its read buffer, at most the 16 KiB header limit (a Beast flat_buffer may reserve
// twice that), its session, stream and parser (a few KiB) and Asio's operation state: 64 KiB is twice that.
// A parsed body is a boost::json DOM (16 bytes per value: 8 times the text of `[0,0,...]`) plus the validator's
// paths and messages for each bad element and the copies of the body: one 1 MiB body of many small bad values
// measured 19-25 MiB, so kJsonFactor is 32. Handlers run on the io threads (max(2, hardware threads)), so that many
// bodies are parsed at once, and the allocator keeps each thread's peak for reuse: json_bodies is the io thread count
// for an attack of large bodies even when they come one at a time (io_threads()). kSlackBytes covers what grows
// without connections: SQLite's page caches, the job cache, the legitimate client's jobs (the tests measured 0.2-3
// MiB of such growth on a server that holds nothing for attackers).
struct MemoryBound {
  static constexpr int64_t kPerConnectionBytes = 64 * 1024;
  static constexpr int64_t kMaxBodyBytes = 1 << 20;  // LIVE2_MAX_BODY_BYTES's default, which these tests keep
  static constexpr int64_t kJsonFactor = 32;
  static constexpr int64_t kSlackBytes = 16 * 1024 * 1024;

  int64_t connections = 0;       // open at once during the attack
  int64_t body_connections = 0;  // of those, how many may be holding a request body
  int64_t json_bodies = 0;       // bodies parsed at the same moment (or retained by the allocator, see above)

  int64_t limit_bytes(int64_t baseline_bytes) const {
    return baseline_bytes + connections * kPerConnectionBytes + body_connections * kMaxBodyBytes +
           json_bodies * kJsonFactor * kMaxBodyBytes + kSlackBytes;
  }

  // The server's io threads, as `live2 serve` chooses them.
  static int64_t io_threads();
};

class HostileServer {
 public:
  // `extra_env` is added to (and overrides) the suite's settings: short header and idle deadlines so a test sees
  // them pass, one worker thread per job, and an attacker tier whose accepted jobs are tiny.
  explicit HostileServer(std::map<std::string, std::string> extra_env = {});
  ~HostileServer();

  // Starts the server, makes the keys, records the baseline RSS and starts the legitimate client.
  void start();

  testing::ServerProcess& process() { return *server_; }
  pid_t pid() const { return server_->pid(); }
  int port() const { return server_->port(); }
  std::string url(const std::string& path) const { return server_->url(path); }
  const std::string& legit_key() const { return legit_key_; }
  const std::string& attacker_key() const { return attacker_key_; }
  const std::string& admin_key() const { return admin_key_; }
  int64_t baseline_rss_bytes() const { return baseline_rss_bytes_; }
  int64_t header_timeout_ms() const;
  LegitClient& legit() { return *legit_; }
  // job_id -> status of every job `key` can see (all pages), asked from the legitimate client's address.
  std::map<std::string, std::string> job_statuses(const std::string& key) const;

  // The aftermath (see the header comment). Records failures with EXPECT/ADD_FAILURE; stops the server.
  void expect_survived(const MemoryBound& bound);

  // The last lines the server logged, for failure messages.
  std::string log_tail(size_t max_bytes = 4'000) const;

 private:
  void expect_accepted_jobs_kept();

  std::map<std::string, std::string> env_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<LegitClient> legit_;
  std::string legit_key_, attacker_key_, admin_key_;
  int64_t baseline_rss_bytes_ = 0;
};

}  // namespace live2::hostile
