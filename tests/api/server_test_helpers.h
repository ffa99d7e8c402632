// Small helpers for the integration tests against a real `live2 serve`: JSON bodies, job submission, waiting.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

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

}  // namespace live2::api::testing
