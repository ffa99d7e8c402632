#include "legit_client.h"

#include <boost/json/parse.hpp>
#include <chrono>

#include "support/http_client.h"

namespace live2::hostile {

namespace json = boost::json;

std::string small_job_body() {
  return R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry",)"
         R"("config":{"num_particles":100,"steps":500}}}})";
}

std::map<std::string, std::string> legit_headers(const std::string& api_key) {
  auto headers = testing::bearer(api_key);
  headers.emplace("X-Forwarded-For", kLegitAddress);
  return headers;
}

LegitClient::LegitClient(std::string base_url, std::string api_key, long interval_ms)
    : base_url_(std::move(base_url)), api_key_(std::move(api_key)), interval_ms_(interval_ms) {}

LegitClient::~LegitClient() { stop(); }

void LegitClient::start() {
  running_ = true;
  thread_ = std::thread([this] {
    while (running_) {
      submit_once(2'000);
      for (long waited = 0; running_ && waited < interval_ms_; waited += 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  });
}

void LegitClient::stop() {
  running_ = false;
  if (thread_.joinable()) thread_.join();
}

long LegitClient::submit_once(long timeout_ms) {
  ++attempts_;
  testing::HttpRequest request{"POST", base_url_ + "/api/v1/jobs", legit_headers(api_key_), small_job_body(),
                               timeout_ms};
  request.headers.emplace("Content-Type", "application/json");
  const testing::HttpResponse response = testing::http_request(request);
  if (response.status == 202) {
    accepted_.push_back(std::string(json::parse(response.body).at("job_id").as_string()));
  } else if (response.status >= 500 && response.status != 503) {
    faults_.push_back(std::to_string(response.status) + " " + response.body);
  }
  return response.status;
}

}  // namespace live2::hostile
