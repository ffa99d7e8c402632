#include "support/job_polling.h"

#include <boost/json/parse.hpp>
#include <thread>

#include "support/http_client.h"

namespace live2::testing {

boost::json::object wait_for_job(const ServerProcess& server, const std::string& key, const std::string& job_id,
                                 const std::function<bool(const boost::json::object&)>& condition,
                                 std::chrono::milliseconds timeout, std::chrono::milliseconds poll_interval) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  boost::json::object job;
  while (std::chrono::steady_clock::now() < deadline) {
    const HttpResponse response = http_get(server.url("/api/v1/jobs/" + job_id), bearer(key));
    if (response.status == 200) {
      job = boost::json::parse(response.body).as_object();
      if (condition(job)) return job;
    }
    std::this_thread::sleep_for(poll_interval);
  }
  return job;
}

}  // namespace live2::testing
