#include "webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include "support/api_exchange_recorder.h"

namespace live2::webhooks {
namespace {

constexpr int kPollMs = 50;

// Reads until `done` says the buffer is complete, the peer closes, or 5 s pass.
template <typename Done>
bool read_until(int connection, std::string& buffer, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  char chunk[4096];
  while (!done(buffer)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    pollfd ready{connection, POLLIN, 0};
    if (poll(&ready, 1, kPollMs) <= 0) continue;
    const ssize_t got = recv(connection, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(got));
  }
  return true;
}

ReceivedRequest parse_head(const std::string& head) {
  ReceivedRequest request;
  std::istringstream lines(head);
  std::string line;
  std::getline(lines, line);
  std::istringstream first(line);
  first >> request.method >> request.target;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    request.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return request;
}

}  // namespace

WebhookReceiver::WebhookReceiver(Loopback loopback) : loopback_(loopback) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (loopback == Loopback::v4) {
    auto* address = reinterpret_cast<sockaddr_in*>(&storage);
    address->sin_family = AF_INET;
    address->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    length = sizeof *address;
  } else {
    auto* address = reinterpret_cast<sockaddr_in6*>(&storage);
    address->sin6_family = AF_INET6;
    address->sin6_addr = in6addr_loopback;
    length = sizeof *address;
  }
  auto* address = reinterpret_cast<sockaddr*>(&storage);
  listener_ = socket(storage.ss_family, SOCK_STREAM, 0);
  if (listener_ < 0 || bind(listener_, address, length) != 0 || listen(listener_, 16) != 0 ||
      getsockname(listener_, address, &length) != 0) {
    const std::string reason = std::strerror(errno);
    if (listener_ >= 0) close(listener_);
    throw std::runtime_error("WebhookReceiver: cannot listen on " +
                             std::string(loopback == Loopback::v4 ? "127.0.0.1" : "[::1]") + ": " + reason);
  }
  port_ = ntohs(loopback == Loopback::v4 ? reinterpret_cast<sockaddr_in*>(&storage)->sin_port
                                         : reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port);
  thread_ = std::thread([this] { serve(); });
}

std::optional<std::string> WebhookReceiver::ipv6_loopback_missing() {
  const int probe = socket(AF_INET6, SOCK_STREAM, 0);
  if (probe < 0) return "the kernel has no IPv6 sockets (" + std::string(std::strerror(errno)) + ")";
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  const bool bound = bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  const int error = errno;
  close(probe);
  if (bound) return std::nullopt;
  return "::1 cannot be bound (" + std::string(std::strerror(error)) + "): no IPv6 loopback on this machine";
}

WebhookReceiver::~WebhookReceiver() {
  stopping_ = true;
  thread_.join();
  close(listener_);
}

std::string WebhookReceiver::url(const std::string& path) const {
  return std::string(loopback_ == Loopback::v4 ? "http://127.0.0.1:" : "http://[::1]:") + std::to_string(port_) +
         path;
}

void WebhookReceiver::script(std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  statuses_.assign(statuses.begin(), statuses.end());
}

std::vector<ReceivedRequest> WebhookReceiver::wait_for(size_t count, int64_t timeout_ms) {
  std::unique_lock lock(mutex_);
  arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return received_.size() >= count; });
  return received_;
}

void WebhookReceiver::serve() {
  while (!stopping_) {
    pollfd ready{listener_, POLLIN, 0};
    if (poll(&ready, 1, kPollMs) <= 0) continue;
    const int connection = accept(listener_, nullptr, nullptr);
    if (connection < 0) continue;
    handle(connection);
    close(connection);
  }
}

void WebhookReceiver::handle(int connection) {
  std::string buffer;
  if (!read_until(connection, buffer, [](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; })) {
    return;
  }
  const size_t head_end = buffer.find("\r\n\r\n") + 4;
  ReceivedRequest request = parse_head(buffer.substr(0, head_end));
  const size_t length = request.headers.count("content-length") ? std::stoul(request.headers["content-length"]) : 0;
  if (!read_until(connection, buffer, [&](const std::string& b) { return b.size() >= head_end + length; })) return;
  request.body = buffer.substr(head_end, length);
  live2::testing::record_webhook_delivery(request.headers, request.body);

  int status = 200;
  {
    std::lock_guard lock(mutex_);
    if (!statuses_.empty()) {
      status = statuses_.front();
      statuses_.pop_front();
    }
    received_.push_back(std::move(request));
  }
  arrived_.notify_all();
  while (holding_ && !stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  const std::string response = "HTTP/1.1 " + std::to_string(status) +
                               " Scripted\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
  send(connection, response.data(), response.size(), MSG_NOSIGNAL);
}

}  // namespace live2::webhooks
