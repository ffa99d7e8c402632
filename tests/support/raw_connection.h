// RawConnection: a plain TCP connection to a loopback port for tests that speak HTTP byte by byte (partial, invalid
// or hostile requests). Every read has a deadline, so a server that never answers fails a test instead of hanging
// it; sending to a peer that has closed returns false (no SIGPIPE). Not thread-safe (one owner).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace live2::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot. `read_timeout_ms` bounds each read call
  // below as a whole.
  explicit RawConnection(int port, long read_timeout_ms = 5'000);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `bytes`; false when the peer closed or reset the connection first.
  bool send(std::string_view bytes);

  struct Received {
    std::string bytes;
    bool closed = false;  // the peer closed (or reset) the connection; false: the read timeout passed first
  };
  // Everything the peer sends until it closes the connection or the read timeout passes.
  Received read_until_closed();
  // One response: its header and as many body bytes as its Content-Length says (none for `head_request`).
  // Empty when the connection closes or the read timeout passes first.
  std::string read_response(bool head_request = false);

  int fd() const { return fd_; }

 private:
  // Reads what arrives into `pending_` until `deadline`; false on close, reset or timeout.
  bool read_more(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  long read_timeout_ms_;
  std::string pending_;  // received but not yet returned
};

}  // namespace live2::testing
