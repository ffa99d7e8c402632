#include "fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <stdexcept>

namespace live2::aws::testing {
namespace {

std::string reason_for(int status) {
  switch (status) {
    case 200: return "OK";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

bool send_all(int socket, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t written = ::send(socket, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (written <= 0) return false;
    sent += static_cast<size_t>(written);
  }
  return true;
}

}  // namespace

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_socket_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int yes = 1;
  ::setsockopt(listen_socket_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_socket_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_socket_, 64) != 0) {
    throw std::runtime_error("FakeHttpServer cannot listen");
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_socket_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeHttpServer::~FakeHttpServer() {
  stopping_ = true;
  ::shutdown(listen_socket_, SHUT_RDWR);
  ::close(listen_socket_);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int socket : open_sockets_) ::shutdown(socket, SHUT_RDWR);
  }
  for (std::thread& thread : threads_) thread.join();
}

std::string FakeHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void FakeHttpServer::accept_loop() {
  while (!stopping_) {
    const int socket = ::accept(listen_socket_, nullptr, nullptr);
    if (socket < 0) return;
    ++connections_accepted_;
    std::lock_guard lock(mutex_);
    open_sockets_.push_back(socket);
    threads_.emplace_back([this, socket] { serve_connection(socket); });
  }
}

void FakeHttpServer::serve_connection(int socket) {
  std::string buffer;
  char chunk[65536];
  while (true) {
    size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t received = ::recv(socket, chunk, sizeof chunk, 0);
      if (received <= 0) {
        ::close(socket);
        return;
      }
      buffer.append(chunk, static_cast<size_t>(received));
    }
    FakeRequest request;
    const std::string head = buffer.substr(0, header_end);
    size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const size_t first_space = request_line.find(' ');
    request.method = request_line.substr(0, first_space);
    request.target = request_line.substr(first_space + 1, request_line.rfind(' ') - first_space - 1);
    while (line_end != std::string::npos && line_end < head.size()) {
      const size_t next = head.find("\r\n", line_end + 2);
      const std::string line = head.substr(line_end + 2, (next == std::string::npos ? head.size() : next) - line_end - 2);
      const size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      line_end = next;
    }
    const size_t content_length =
        request.headers.contains("content-length") ? std::stoul(request.headers["content-length"]) : 0;
    while (buffer.size() < header_end + 4 + content_length) {
      const ssize_t received = ::recv(socket, chunk, sizeof chunk, 0);
      if (received <= 0) {
        ::close(socket);
        return;
      }
      buffer.append(chunk, static_cast<size_t>(received));
    }
    request.body = buffer.substr(header_end + 4, content_length);
    buffer.erase(0, header_end + 4 + content_length);
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    const FakeResponse response = handler_(request);
    if (response.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(response.delay_ms));
    std::string answer = "HTTP/1.1 " + std::to_string(response.status) + " " + reason_for(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) answer += name + ": " + value + "\r\n";
    answer += "Content-Length: " + std::to_string(request.method == "HEAD" ? 0 : response.body.size()) + "\r\n\r\n";
    if (request.method != "HEAD") answer += response.body;
    if (!send_all(socket, answer)) {
      ::close(socket);
      return;
    }
  }
}

}  // namespace live2::aws::testing
