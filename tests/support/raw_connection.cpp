#include "support/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <stdexcept>

#include "support/api_exchange_recorder.h"

namespace live2::testing {

using Clock = std::chrono::steady_clock;

RawConnection::RawConnection(int port, long read_timeout_ms) : read_timeout_ms_(read_timeout_ms) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("RawConnection: socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("RawConnection: cannot connect to port " + std::to_string(port));
  }
  note_raw_connection(fd_, port);
}

RawConnection::~RawConnection() {
  end_raw_connection(fd_);
  ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  note_raw_sent(fd_, bytes);
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

bool RawConnection::read_more(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  if (left <= 0) return false;
  pollfd readable{fd_, POLLIN, 0};
  if (::poll(&readable, 1, static_cast<int>(left)) <= 0) return false;
  char buffer[16 * 1024];
  const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
  if (got <= 0) return false;
  pending_.append(buffer, static_cast<size_t>(got));
  return true;
}

RawConnection::Received RawConnection::read_until_closed() {
  const auto deadline = Clock::now() + std::chrono::milliseconds(read_timeout_ms_);
  while (read_more(deadline)) {
  }
  Received received{std::move(pending_), Clock::now() < deadline};
  pending_.clear();
  record_raw_received(fd_, received.bytes);
  return received;
}

std::string RawConnection::read_response(bool head_request) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(read_timeout_ms_);
  size_t header_end;
  while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (!read_more(deadline)) return {};
  }
  header_end += 4;
  size_t body_bytes = 0;
  if (!head_request) {
    std::string header = pending_.substr(0, header_end);
    for (char& c : header) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (const auto at = header.find("\r\ncontent-length:"); at != std::string::npos) {
      body_bytes = std::stoul(header.substr(at + 17));
    }
  }
  while (pending_.size() < header_end + body_bytes) {
    if (!read_more(deadline)) return {};
  }
  std::string response = pending_.substr(0, header_end + body_bytes);
  pending_.erase(0, header_end + body_bytes);
  record_raw_received(fd_, response);
  return response;
}

}  // namespace live2::testing
