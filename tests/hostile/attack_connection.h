// AttackConnection: one TCP connection to 127.0.0.1 for the hostile-client tests, with nothing of HTTP enforced: it
// sends any bytes (whole, in trickles, or as a flood) and reads whatever comes back. Unlike testing::RawConnection
// (tests/support, blocking, for well-behaved exchanges), nothing here waits past its deadline: connecting, sending
// and reading never block on a server that stopped reading or accepting, and a failed connect is a value, not an
// exception, so a test can hold a thousand of them or flood one. Also reads one HTTP/1.1 response (status, head,
// Content-Length body) so a keep-alive connection can serve a legitimate client. Owns its descriptor (move-only).
// Not thread-safe: one thread per connection at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace live2::hostile {

struct AttackResponse {
  int status = 0;          // 0: no status line arrived
  std::string head;        // status line and header fields, up to the empty line
  std::string body;
  bool keep_alive = true;  // false when the response says `Connection: close`
};

class AttackConnection {
 public:
  // Connects to 127.0.0.1:port. nullopt when the connect fails (e.g. the test itself is out of descriptors).
  static std::optional<AttackConnection> open(int port);
  // The same with a small send buffer, so bytes a flood has "sent" are not piling up on the client's side.
  static std::optional<AttackConnection> open_with_small_send_buffer(int port);

  AttackConnection(AttackConnection&& other) noexcept;
  AttackConnection& operator=(AttackConnection&& other) noexcept;
  AttackConnection(const AttackConnection&) = delete;
  AttackConnection& operator=(const AttackConnection&) = delete;
  ~AttackConnection();

  int fd() const { return fd_; }

  // Sends every byte, waiting at most `timeout_ms` in total; false when the peer closed or reset, or on timeout.
  bool send_all(std::string_view bytes, long timeout_ms = 5'000);
  // Sends what the socket takes right now without waiting; the number of bytes taken (0 when full), -1 when the
  // peer closed or reset the connection.
  long send_some(std::string_view bytes);
  // Half-closes: the server sees the end of the request stream, the answer can still arrive.
  void finish_sending();

  // True when bytes or the end of the stream are ready to read within `timeout_ms`.
  bool readable(long timeout_ms) const;
  // Reads until the peer closes (or resets) or `timeout_ms` passes; `closed` says which. At most `max_bytes` kept.
  struct Drained {
    std::string bytes;
    bool closed = false;
  };
  Drained read_until_closed(long timeout_ms, size_t max_bytes = 1 << 20);
  // One response (status line, header, Content-Length body); nullopt when none arrives whole within `timeout_ms`.
  std::optional<AttackResponse> read_response(long timeout_ms);
  // Sends `request` and reads its response.
  std::optional<AttackResponse> exchange(std::string_view request, long timeout_ms);

 private:
  explicit AttackConnection(int fd) : fd_(fd) {}
  int fd_ = -1;
  std::string pending_;  // bytes read past the end of the previous response
};

// The status code of the first status line in `bytes`, 0 when there is none.
int status_of(std::string_view bytes);

}  // namespace live2::hostile
