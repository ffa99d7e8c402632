#include "attack_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>

namespace live2::hostile {
namespace {

using Clock = std::chrono::steady_clock;

constexpr long kConnectTimeoutMs = 2'000;

long remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<long>(left) : 0;
}

bool wait_for(int fd, short events, long timeout_ms) {
  pollfd entry{fd, events, 0};
  return poll(&entry, 1, static_cast<int>(timeout_ms)) > 0;
}

// Non-blocking from the start, so a listener that stopped accepting cannot hang the test in connect().
int connect_loopback(int port, int send_buffer_bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (send_buffer_bytes > 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer_bytes, sizeof send_buffer_bytes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
  int error = 0;
  socklen_t length = sizeof error;
  if (errno != EINPROGRESS || !wait_for(fd, POLLOUT, kConnectTimeoutMs) ||
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The value of header field `name` (lower case) in a response head, empty when absent.
std::string field_value(std::string_view head, std::string_view name) {
  const std::string lowered = lower(head);
  const std::string needle = "\r\n" + std::string(name) + ":";
  const size_t at = lowered.find(needle);
  if (at == std::string::npos) return {};
  size_t begin = at + needle.size();
  const size_t end = lowered.find("\r\n", begin);
  while (begin < end && lowered[begin] == ' ') ++begin;
  return lowered.substr(begin, end - begin);
}

}  // namespace

int status_of(std::string_view bytes) {
  const size_t at = bytes.find("HTTP/1.");
  if (at == std::string_view::npos || bytes.size() < at + 12) return 0;
  int status = 0;
  const char* digits = bytes.data() + at + 9;
  auto [end, ec] = std::from_chars(digits, digits + 3, status);
  return ec == std::errc() && end == digits + 3 ? status : 0;
}

std::optional<AttackConnection> AttackConnection::open(int port) {
  const int fd = connect_loopback(port, 0);
  if (fd < 0) return std::nullopt;
  return AttackConnection(fd);
}

std::optional<AttackConnection> AttackConnection::open_with_small_send_buffer(int port) {
  const int fd = connect_loopback(port, 64 * 1024);
  if (fd < 0) return std::nullopt;
  return AttackConnection(fd);
}

AttackConnection::AttackConnection(AttackConnection&& other) noexcept
    : fd_(other.fd_), pending_(std::move(other.pending_)) {
  other.fd_ = -1;
}

AttackConnection& AttackConnection::operator=(AttackConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    pending_ = std::move(other.pending_);
    other.fd_ = -1;
  }
  return *this;
}

AttackConnection::~AttackConnection() {
  if (fd_ >= 0) close(fd_);
}

long AttackConnection::send_some(std::string_view bytes) {
  const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (sent >= 0) return static_cast<long>(sent);
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

bool AttackConnection::send_all(std::string_view bytes, long timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!bytes.empty()) {
    const long sent = send_some(bytes);
    if (sent < 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
    if (!bytes.empty() && !wait_for(fd_, POLLOUT, remaining_ms(deadline))) return false;
  }
  return true;
}

void AttackConnection::finish_sending() { shutdown(fd_, SHUT_WR); }

bool AttackConnection::readable(long timeout_ms) const {
  return !pending_.empty() || wait_for(fd_, POLLIN, timeout_ms);
}

AttackConnection::Drained AttackConnection::read_until_closed(long timeout_ms, size_t max_bytes) {
  Drained drained;
  drained.bytes = std::move(pending_);
  pending_.clear();
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[16 * 1024];
  while (true) {
    const ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
      drained.closed = true;  // an orderly end or a reset: either way the server let go of the connection
      return drained;
    }
    if (got > 0) {
      if (drained.bytes.size() < max_bytes) drained.bytes.append(buffer, static_cast<size_t>(got));
      continue;
    }
    if (!wait_for(fd_, POLLIN, remaining_ms(deadline))) return drained;
  }
}

std::optional<AttackResponse> AttackConnection::read_response(long timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char buffer[16 * 1024];
  auto fill = [&]() {
    while (true) {
      const ssize_t got = recv(fd_, buffer, sizeof buffer, 0);
      if (got > 0) {
        pending_.append(buffer, static_cast<size_t>(got));
        return true;
      }
      if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return false;
      if (!wait_for(fd_, POLLIN, remaining_ms(deadline))) return false;
    }
  };
  size_t head_end;
  while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return std::nullopt;
  }
  AttackResponse response;
  response.head = pending_.substr(0, head_end + 2);
  response.status = status_of(response.head);
  response.keep_alive = field_value(response.head, "connection") != "close";
  size_t body_bytes = 0;
  const std::string length = field_value(response.head, "content-length");
  std::from_chars(length.data(), length.data() + length.size(), body_bytes);
  const size_t body_begin = head_end + 4;
  while (pending_.size() < body_begin + body_bytes) {
    if (!fill()) return std::nullopt;
  }
  response.body = pending_.substr(body_begin, body_bytes);
  pending_.erase(0, body_begin + body_bytes);
  return response;
}

std::optional<AttackResponse> AttackConnection::exchange(std::string_view request, long timeout_ms) {
  if (!send_all(request, timeout_ms)) return std::nullopt;
  return read_response(timeout_ms);
}

}  // namespace live2::hostile
