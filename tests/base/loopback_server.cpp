#include "loopback_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace live2::testing {
namespace {

bool send_all(int socket, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(socket, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

}  // namespace

LoopbackServer::LoopbackServer(ScriptedAnswer answer) : answer_(std::move(answer)) {
  listen_socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listen_socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_socket_, 8) != 0 ||
      ::getsockname(listen_socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("LoopbackServer cannot listen");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

LoopbackServer::~LoopbackServer() {
  stopping_ = true;
  ::shutdown(listen_socket_, SHUT_RDWR);
  thread_.join();
  ::close(listen_socket_);
}

std::vector<std::string> LoopbackServer::request_heads() const {
  std::lock_guard lock(mutex_);
  return request_heads_;
}

void LoopbackServer::serve() {
  while (!stopping_) {
    const int socket = ::accept(listen_socket_, nullptr, nullptr);
    if (socket < 0) return;
    answer(socket);
    ::close(socket);
  }
}

void LoopbackServer::answer(int socket) {
  std::string request;
  char buffer[4096];
  while (request.find("\r\n\r\n") == std::string::npos) {
    const ssize_t got = ::recv(socket, buffer, sizeof buffer, 0);
    if (got <= 0) return;
    request.append(buffer, static_cast<size_t>(got));
  }
  {
    std::lock_guard lock(mutex_);
    request_heads_.push_back(request.substr(0, request.find("\r\n\r\n")));
  }
  const std::string head =
      answer_.head + "Content-Length: " + std::to_string(answer_.body.size()) + "\r\nConnection: close\r\n\r\n";
  if (!send_all(socket, head)) return;
  const std::string_view body = answer_.body;
  for (size_t at = 0; at < body.size() && !stopping_;) {
    while (at >= answer_.stall_after_bytes && !stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(answer_.interval_ms));
    const size_t bytes = std::min(answer_.chunk_bytes, body.size() - at);
    if (stopping_ || !send_all(socket, body.substr(at, bytes))) return;
    at += bytes;
  }
}

}  // namespace live2::testing
