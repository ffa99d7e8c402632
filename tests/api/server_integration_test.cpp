// The real `live2 serve` over HTTP on loopback: every error code of docs/api.md, idempotency under concurrency, user
// isolation, paging, first-start key, dashboard files and the separate metrics listener.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "prometheus_format.h"
#include "server_test_helpers.h"
#include "support/temp_dir.h"

namespace live2::api {
namespace {

using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::http_post_json;
using live2::testing::http_request;
using live2::testing::HttpRequest;
using live2::testing::ServerOptions;
using live2::testing::ServerProcess;
using testing::error_code_of;
using testing::job_body;
using testing::parse_body;
using ::testing::HasSubstr;

TEST(ServeProcess, FirstStartPrintsAnAdminKeyAndACurlOnlyOnce) {
  ServerProcess server;
  server.start();
  // The banner follows the first /health answer by a moment.
  ASSERT_TRUE(testing::eventually([&] { return server.log_text().find("submit a job") != std::string::npos; }));
  const std::string first_log = server.log_text();
  const auto key_at = first_log.find("sk_live_");
  ASSERT_NE(key_at, std::string::npos) << first_log;
  const std::string key = first_log.substr(key_at, 40);
  EXPECT_THAT(first_log, HasSubstr("curl -sS -X POST " + server.base_url() + "/api/v1/jobs"));
  auto me = http_get(server.url("/api/v1/jobs"), bearer(key));
  EXPECT_EQ(me.status, 200) << me.body;

  server.restart();
  ASSERT_TRUE(testing::eventually([&] { return server.log_text().find("live2 keys create") != std::string::npos; }));
  const std::string log = server.log_text();
  EXPECT_EQ(log.find("sk_live_", key_at + 1), log.rfind("sk_live_"));  // no new key printed after the first start
  EXPECT_THAT(log.substr(first_log.size()), HasSubstr("live2 keys create"));
  EXPECT_EQ(http_get(server.url("/api/v1/jobs"), bearer(key)).status, 200);  // still valid after a restart
}

class ServerTest : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> env = {}) {
    env.emplace("LIVE2_MAX_BODY_BYTES", "4096");
    env.emplace("LIVE2_TIER_HOBBY_CONCURRENT_JOBS", "100");
    server = std::make_unique<ServerProcess>(ServerOptions{env, std::nullopt, {}, 15'000});
    server->start();
    alice = server->create_key("alice", "hobby");
    bob = server->create_key("bob", "hobby");
    ops = server->create_key("ops", "research", true);
  }

  std::string submit(const std::string& key, const std::map<std::string, std::string>& extra = {}) {
    auto headers = bearer(key);
    headers.insert(extra.begin(), extra.end());
    auto response = http_post_json(server->url("/api/v1/jobs"), job_body(), headers);
    EXPECT_EQ(response.status, 202) << response.body;
    return std::string(parse_body(response).at("job_id").as_string());
  }

  std::unique_ptr<ServerProcess> server;
  std::string alice, bob, ops;
};

TEST_F(ServerTest, HealthReadyAndRequestIds) {
  start();
  auto health = http_get(server->url("/health"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(parse_body(health).at("status"), "ok");
  EXPECT_FALSE(health.header("x-request-id").empty());
  EXPECT_EQ(http_get(server->url("/health"), {{"X-Request-Id", "trace-7"}}).header("x-request-id"), "trace-7");
  EXPECT_EQ(http_get(server->url("/ready")).status, 200);
}

TEST_F(ServerTest, EveryClientErrorCode) {
  start({{"LIVE2_TIER_HOBBY_REQUESTS_PER_MINUTE", "1000"}});
  const std::string jobs = server->url("/api/v1/jobs");
  // 401
  auto no_key = http_get(jobs);
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(error_code_of(no_key), "unauthorized");
  EXPECT_EQ(http_get(jobs, {{"X-API-Key", "sk_live_0123456789abcdef0123456789abcdef"}}).status, 401);
  EXPECT_EQ(http_get(jobs, {{"X-API-Key", alice}}).status, 200);
  // 400
  auto not_json = http_post_json(jobs, "{oops", bearer(alice));
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(error_code_of(not_json), "bad_request");
  auto wrong_type = http_request(HttpRequest{"POST", jobs, {{"Authorization", "Bearer " + alice},
                                                           {"Content-Type", "text/plain"}}, job_body(), 10'000});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(http_get(jobs + "?status=lost", bearer(alice)).status, 400);
  // 422 lists every bad field
  auto invalid = http_post_json(jobs, R"({"job_type":"run_simulation","extra":1,"params":{"simulation_config":{)"
                                      R"("mode":"open_chemistry","config":{"num_particles":0,"temperature":-5}}}})",
                                bearer(alice));
  ASSERT_EQ(invalid.status, 422);
  EXPECT_EQ(error_code_of(invalid), "validation_failed");
  std::set<std::string> fields;
  const auto invalid_body = parse_body(invalid);
  for (const auto& detail : invalid_body.at("error").at("details").as_array()) {
    fields.insert(std::string(detail.at("field").as_string()));
  }
  EXPECT_TRUE(fields.count("extra"));
  EXPECT_TRUE(fields.count("params.simulation_config.config.num_particles"));
  EXPECT_TRUE(fields.count("params.simulation_config.config.temperature"));
  // 404, also for another user's job
  const std::string job_id = submit(alice);
  EXPECT_EQ(http_get(server->url("/api/v1/jobs/" + job_id), bearer(bob)).status, 404);
  EXPECT_EQ(error_code_of(http_get(server->url("/api/v1/jobs/" + job_id), bearer(bob))), "not_found");
  // 409: idempotency key with another body
  auto first = http_post_json(jobs, job_body(100, 1000), {{"Authorization", "Bearer " + alice}, {"Idempotency-Key", "k1"}});
  EXPECT_EQ(first.status, 202);
  auto changed = http_post_json(jobs, job_body(100, 2000), {{"Authorization", "Bearer " + alice}, {"Idempotency-Key", "k1"}});
  EXPECT_EQ(changed.status, 409);
  EXPECT_EQ(error_code_of(changed), "conflict");
  // 413
  std::string huge = R"({"job_type":"run_simulation","pad":")" + std::string(8000, 'x') + "\"}";
  auto too_large = http_post_json(jobs, huge, bearer(alice));
  EXPECT_EQ(too_large.status, 413) << too_large.transport_error;
  EXPECT_EQ(error_code_of(too_large), "payload_too_large");
  EXPECT_EQ(http_get(server->url("/health")).status, 200);
}

TEST_F(ServerTest, CancelOfAFinishedJobIs409) {
  start({{"LIVE2_MAX_CONCURRENT_JOBS", "1"}});
  // Keep the executor busy so the second job stays queued and cancels at once.
  submit(alice);
  const std::string job_id = submit(alice);
  auto cancelled = http_post_json(server->url("/api/v1/jobs/" + job_id + "/cancel"), "", bearer(alice));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  ASSERT_TRUE(testing::eventually([&] {
    return parse_body(http_get(server->url("/api/v1/jobs/" + job_id), bearer(alice))).at("status") == "cancelled";
  }));
  auto again = http_post_json(server->url("/api/v1/jobs/" + job_id + "/cancel"), "", bearer(alice));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code_of(again), "conflict");
}

TEST_F(ServerTest, RateLimitIs429WithRetryAfter) {
  start({{"LIVE2_TIER_HOBBY_REQUESTS_PER_MINUTE", "5"}});
  for (int i = 0; i < 5; ++i) ASSERT_EQ(http_get(server->url("/api/v1/jobs"), bearer(alice)).status, 200);
  auto limited = http_get(server->url("/api/v1/jobs"), bearer(alice));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(error_code_of(limited), "rate_limited");
  EXPECT_EQ(limited.header("retry-after"), "12");
  EXPECT_EQ(http_get(server->url("/api/v1/jobs"), bearer(bob)).status, 200);
}

TEST_F(ServerTest, QuotaIs429WithRetryAfter) {
  start({{"LIVE2_TIER_HOBBY_JOBS_PER_DAY", "1"}});
  submit(alice);
  auto refused = http_post_json(server->url("/api/v1/jobs"), job_body(), bearer(alice));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(error_code_of(refused), "quota_exceeded");
  EXPECT_FALSE(refused.header("retry-after").empty());
}

TEST_F(ServerTest, ConcurrentPostsWithOneIdempotencyKeyCreateOneJob) {
  start();
  constexpr int kClients = 20;
  std::vector<long> statuses(kClients);
  std::vector<std::string> job_ids(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto response = http_post_json(server->url("/api/v1/jobs"), job_body(),
                                     {{"Authorization", "Bearer " + alice}, {"Idempotency-Key", "race-1"}});
      statuses[i] = response.status;
      if (response.status / 100 == 2) job_ids[i] = std::string(parse_body(response).at("job_id").as_string());
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 202), 1);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), kClients - 1);
  EXPECT_EQ(std::set<std::string>(job_ids.begin(), job_ids.end()).size(), 1u);
  auto listed = parse_body(http_get(server->url("/api/v1/jobs"), bearer(alice)));
  EXPECT_EQ(listed.at("jobs").as_array().size(), 1u);
}

TEST_F(ServerTest, PagingIsStableAndUsersSeeOnlyTheirJobs) {
  start({{"LIVE2_MAX_CONCURRENT_JOBS", "1"}});
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(submit(alice));
  submit(bob);
  std::vector<std::string> seen;
  std::string target = server->url("/api/v1/jobs?limit=2");
  while (true) {
    auto page = parse_body(http_get(target, bearer(alice)));
    for (const auto& job : page.at("jobs").as_array()) seen.emplace_back(job.at("job_id").as_string());
    if (page.at("next_cursor").is_null()) break;
    submit(alice);  // newer jobs never shift later pages
    target = server->url("/api/v1/jobs?limit=2&cursor=" + std::string(page.at("next_cursor").as_string()));
  }
  // Newest first by id (ids order by creation millisecond; jobs of one millisecond by their random part).
  std::sort(created.rbegin(), created.rend());
  EXPECT_EQ(seen, created);
}

TEST_F(ServerTest, MetricsFollowThePrometheusFormat) {
  start();
  submit(alice);
  http_get(server->url("/api/v1/jobs"), bearer(alice));
  auto metrics = http_get(server->url("/metrics"), bearer(ops));
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.header("content-type"), HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics.body, HasSubstr("live2_http_requests_total{route=\"/api/v1/jobs\",method=\"POST\",status=\"2xx\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("live2_http_request_duration_seconds_bucket"));
  EXPECT_THAT(metrics.body, HasSubstr("live2_jobs{status="));
  EXPECT_THAT(metrics.body, HasSubstr("live2_webhook_deliveries_total{outcome=\"delivered\"}"));
  EXPECT_THAT(metrics.body, HasSubstr("live2_reconciler_lag_seconds "));
  EXPECT_THAT(testing::prometheus_format_problems(metrics.body), ::testing::IsEmpty()) << metrics.body;

  if (std::system("command -v promtool > /dev/null 2>&1") == 0) {
    live2::testing::TempDir dir;
    std::ofstream(dir / "metrics.txt") << metrics.body;
    const std::string command = "promtool check metrics < " + (dir / "metrics.txt").string();
    EXPECT_EQ(std::system(command.c_str()), 0) << metrics.body;
  }
}

TEST_F(ServerTest, SeparateMetricsListener) {
  const int metrics_port = live2::testing::free_loopback_port();
  start({{"LIVE2_METRICS_LISTEN", "127.0.0.1:" + std::to_string(metrics_port)}});
  EXPECT_EQ(http_get("http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics").status, 200);
  EXPECT_EQ(http_get(server->url("/metrics"), bearer(ops)).status, 404);
}

TEST_F(ServerTest, SlowHeadersAndIdleConnectionsAreClosed) {
  start({{"LIVE2_HEADER_TIMEOUT_MS", "300"}, {"LIVE2_IDLE_TIMEOUT_MS", "300"}});
  const int slow = testing::connect_loopback(server->port());
  ASSERT_TRUE(testing::send_text(slow, "GET /health HTTP/1.1\r\nHost: x\r\n"));  // the header never ends
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(testing::read_until_closed(slow), "");  // closed without an answer
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  close(slow);

  const int idle = testing::connect_loopback(server->port());
  ASSERT_TRUE(testing::send_text(idle, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_THAT(testing::read_until_closed(idle), HasSubstr("HTTP/1.1 200"));  // answered, then closed when idle
  close(idle);
}

// The server handles a request that arrived whole at once and reads on for one that did not: a header split
// across writes, two requests in one write (pipelined), and a body that comes after its header.
TEST_F(ServerTest, SplitPipelinedAndLateBodyRequestsAreAnsweredInOrder) {
  start();
  const int connection = testing::connect_loopback(server->port());
  ASSERT_TRUE(testing::send_text(connection, "GET /health HTTP/1.1\r\nHo"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(testing::send_text(connection,
                                 "st: x\r\nX-Request-Id: first\r\n\r\n"
                                 "GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"
                                 "POST /api/v1/jobs HTTP/1.1\r\nHost: x\r\nX-Request-Id: third\r\n"
                                 "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(testing::send_text(connection, "{}"));
  const std::string answers = testing::read_until_closed(connection);
  close(connection);
  const size_t first = answers.find("X-Request-Id: first");
  const size_t second = answers.find("X-Request-Id: second");
  const size_t third = answers.find("X-Request-Id: third");
  ASSERT_NE(first, std::string::npos) << answers;
  ASSERT_NE(second, std::string::npos) << answers;
  ASSERT_NE(third, std::string::npos) << answers;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
  EXPECT_EQ(answers.rfind("HTTP/1.1 401", third), answers.rfind("HTTP/1.1 ", third)) << "the POST has no key";
}

TEST(ServeDashboard, ServesTheBuiltAppWithSpaFallback) {
  live2::testing::TempDir web;
  std::filesystem::create_directories(web / "assets");
  std::ofstream(web / "index.html") << "<html>live2 dashboard</html>";
  std::ofstream(web / "assets" / "app.js") << "console.log(1)";
  ServerProcess server(ServerOptions{{{"LIVE2_WEB_DIR", web.path().string()}}, std::nullopt, {}, 15'000});
  server.start();
  auto root = http_get(server.url("/"));
  EXPECT_EQ(root.status, 200);
  EXPECT_THAT(root.body, HasSubstr("live2 dashboard"));
  EXPECT_THAT(root.header("content-type"), HasSubstr("text/html"));
  EXPECT_THAT(root.header("content-security-policy"), HasSubstr("script-src 'self';"));
  EXPECT_THAT(root.header("content-security-policy"), HasSubstr("frame-ancestors 'none'"));
  EXPECT_EQ(root.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(root.header("referrer-policy"), "no-referrer");
  auto script = http_get(server.url("/assets/app.js"));
  EXPECT_EQ(script.body, "console.log(1)");
  EXPECT_THAT(script.header("content-type"), HasSubstr("javascript"));
  EXPECT_THAT(http_get(server.url("/jobs/job_123")).body, HasSubstr("live2 dashboard"));  // the app's own route
  EXPECT_THAT(http_get(server.url("/assets/../../../etc/passwd")).body, ::testing::Not(HasSubstr("root:")));
  auto api = http_get(server.url("/api/v1/unknown"));
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(api.header("x-content-type-options"), "nosniff");
}

}  // namespace
}  // namespace live2::api
