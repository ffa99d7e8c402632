// LoopbackServer: a one-connection-at-a-time HTTP server on 127.0.0.1 (free port) for transport tests. Every request
// gets the same scripted answer, sent raw: its head at once, then its body in chunks `interval_ms` apart, stopping
// for good (until the server is destroyed) after `stall_after_bytes`. Records each request's head. Stops in the
// destructor; thread-safe to read from the test thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace live2::testing {

struct ScriptedAnswer {
  std::string head = "HTTP/1.1 200 OK\r\n";  // status line and headers; Content-Length and the blank line are added
  std::string body;
  size_t chunk_bytes = std::numeric_limits<size_t>::max();
  int interval_ms = 0;
  size_t stall_after_bytes = std::numeric_limits<size_t>::max();
};

class LoopbackServer {
 public:
  explicit LoopbackServer(ScriptedAnswer answer);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> request_heads() const;

 private:
  void serve();
  void answer(int socket);

  ScriptedAnswer answer_;
  int listen_socket_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> request_heads_;
  std::thread thread_;
};

}  // namespace live2::testing
