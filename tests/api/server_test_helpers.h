// Small helpers for the integration tests against a real `live2 serve`: JSON bodies, job submission, waiting.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "support/api_exchange_recorder.h"
#include "support/http_client.h"
#include "support/server_process.h"

namespace live2::api::testing {

inline std::string job_body(int num_particles = 100, int steps = 1000) {
  return R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry","config":{)"
         R"("num_particles":)" +
         std::to_string(num_particles) + R"(,"temperature":300,"steps":)" + std::to_string(steps) + "}}}}";
}

inline boost::json::value parse_body(const live2::testing::HttpResponse& response) {
  return boost::json::parse(response.body);
}

inline std::string error_code_of(const live2::testing::HttpResponse& response) {
  return std::string(parse_body(response).at("error").at("code").as_string());
}

// Polls `condition` every 20 ms until it holds or `timeout_ms` passes; returns whether it held.
inline bool eventually(const std::function<bool()>& condition, int timeout_ms = 10'000) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

// A raw TCP connection to 127.0.0.1:port (for tests that need to send partial requests); -1 on failure. What is sent
// with send_text and read with read_until_closed is recorded like the HTTP client's exchanges (api_exchange_recorder.h).
inline int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  live2::testing::note_raw_connection(fd, port);
  return fd;
}

inline bool send_text(int fd, const std::string& text) {
  live2::testing::note_raw_sent(fd, text);
  return write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// Everything the peer sends until it closes the connection.
inline std::string read_until_closed(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(got));
  live2::testing::record_raw_received(fd, out);
  live2::testing::end_raw_connection(fd);
  return out;
}

}  // namespace live2::api::testing
