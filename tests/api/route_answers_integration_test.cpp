// Answers every route of docs/openapi.yaml gives, against the real `live2 serve`: every job route needs a key, counts
// toward the rate limit and answers 404 for an unknown job; the query ranges; readiness without a worker; the
// document itself; signed links to missing files; wrong methods. Beside their own assertions these exchanges give the
// contract check (tests/contract) an example of each documented answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/hashing.h"
#include "server_test_helpers.h"

namespace live2::api {
namespace {

using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::http_post_json;
using live2::testing::http_request;
using live2::testing::HttpRequest;
using live2::testing::HttpResponse;
using live2::testing::ServerOptions;
using live2::testing::ServerProcess;
using testing::error_code_of;
using testing::job_body;
using testing::parse_body;
using ::testing::HasSubstr;

struct RouteCall {
  std::string method;
  std::string path;  // "{job}" stands for a job id
};

// Every route that needs a key, as the router registers them (src/api/job_routes.cpp, job_output_routes.cpp).
const std::vector<RouteCall> kAuthenticatedRoutes = {
    {"POST", "/api/v1/jobs"},
    {"GET", "/api/v1/jobs"},
    {"GET", "/api/v1/jobs/{job}"},
    {"GET", "/api/v1/jobs/{job}/runs"},
    {"POST", "/api/v1/jobs/{job}/cancel"},
    {"GET", "/api/v1/jobs/{job}/artifacts"},
    {"GET", "/api/v1/jobs/{job}/logs"},
    {"GET", "/api/v1/jobs/{job}/events"},
    {"GET", "/api/v1/jobs/{job}/metrics"},
};

std::string with_job(std::string path, const std::string& job_id) {
  if (const auto at = path.find("{job}"); at != std::string::npos) path.replace(at, 5, job_id);
  return path;
}

class RouteAnswersTest : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> env = {}) {
    server = std::make_unique<ServerProcess>(ServerOptions{std::move(env), std::nullopt, {}, 15'000});
    server->start();
  }

  HttpResponse call(const RouteCall& route, const std::string& job_id, const std::map<std::string, std::string>& headers) {
    HttpRequest request{route.method, server->url(with_job(route.path, job_id)), headers, "", 5'000};
    if (route.method == "POST") {
      request.headers.emplace("Content-Type", "application/json");
      if (route.path == "/api/v1/jobs") request.body = job_body();
    }
    return http_request(request);
  }

  std::string submit(const std::string& key) {
    auto response = http_post_json(server->url("/api/v1/jobs"), job_body(), bearer(key));
    EXPECT_EQ(response.status, 202) << response.body;
    return std::string(parse_body(response).at("job_id").as_string());
  }

  std::unique_ptr<ServerProcess> server;
};

TEST_F(RouteAnswersTest, EveryJobRouteNeedsAKey) {
  start();
  const std::string job_id = submit(server->create_key("alice"));
  for (const auto& route : kAuthenticatedRoutes) {
    SCOPED_TRACE(route.method + " " + route.path);
    auto refused = call(route, job_id, {});
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(error_code_of(refused), "unauthorized");
    EXPECT_EQ(refused.header("www-authenticate"), "Bearer");
  }
}

TEST_F(RouteAnswersTest, EveryJobRouteCountsTowardTheRateLimit) {
  start({{"LIVE2_TIER_HOBBY_REQUESTS_PER_MINUTE", "1"}});
  const std::string job_id = submit(server->create_key("bob", "research"));
  const std::string alice = server->create_key("alice", "hobby");
  ASSERT_EQ(http_get(server->url("/api/v1/jobs"), bearer(alice)).status, 200);  // the minute's one request
  for (const auto& route : kAuthenticatedRoutes) {
    SCOPED_TRACE(route.method + " " + route.path);
    auto limited = call(route, job_id, bearer(alice));
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(error_code_of(limited), "rate_limited");
    EXPECT_GE(std::stoi(limited.header("retry-after")), 1);
  }
}

TEST_F(RouteAnswersTest, AnUnknownJobIsNotFoundOnEveryJobRoute) {
  start();
  const std::string key = server->create_key("alice");
  const std::string unknown = "job_0000000000000000000000";
  for (const auto& route : kAuthenticatedRoutes) {
    if (route.path.find("{job}") == std::string::npos) continue;
    SCOPED_TRACE(route.method + " " + route.path);
    auto missing = call(route, unknown, bearer(key));
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(error_code_of(missing), "not_found");
  }
}

TEST_F(RouteAnswersTest, ADatasetListsItsRunsAndAPageOutOfRangeIs400) {
  start();
  const std::string key = server->create_key("alice");
  auto submitted = http_post_json(
      server->url("/api/v1/jobs"),
      R"({"job_type":"generate_dataset","params":{"simulation_config":{"mode":"open_chemistry","config":{)"
      R"("num_particles":100,"temperature":300,"steps":1000}},"sweep":{"temperature":[300,400]},"replicas":1}})",
      bearer(key));
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string runs = "/api/v1/jobs/" + std::string(parse_body(submitted).at("job_id").as_string()) + "/runs";
  auto listed = http_get(server->url(runs), bearer(key));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(parse_body(listed).at("runs").as_array().size(), 2u);
  EXPECT_EQ(http_get(server->url(runs + "?limit=0"), bearer(key)).status, 400);
}

TEST_F(RouteAnswersTest, QueryValuesOutOfRangeAre400NamingTheParameter) {
  start();
  const std::string key = server->create_key("alice");
  const std::string job = "/api/v1/jobs/" + submit(key);
  for (const std::string& target : {job + "/artifacts?expires_in=59", job + "/artifacts?expires_in=604801",
                                    job + "/logs?tail=0", job + "/logs?tail=10001", std::string("/api/v1/jobs?limit=0"),
                                    std::string("/api/v1/jobs?cursor=nonsense")}) {
    SCOPED_TRACE(target);
    auto refused = http_get(server->url(target), bearer(key));
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(error_code_of(refused), "bad_request");
    const std::string parameter = target.substr(target.find('?') + 1, target.find('=') - target.find('?') - 1);
    EXPECT_THAT(std::string(parse_body(refused).at("error").at("message").as_string()), HasSubstr(parameter));
  }
}

TEST_F(RouteAnswersTest, ReadyIs503NamingTheExecutorWhenTheWorkerIsMissing) {
  start({{"LIVE2_WORKER_BINARY", "/nonexistent/live2-sim"}});
  EXPECT_EQ(http_get(server->url("/health")).status, 200);
  auto ready = http_get(server->url("/ready"));
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(error_code_of(ready), "unavailable");
  EXPECT_THAT(std::string(parse_body(ready).at("error").at("message").as_string()), HasSubstr("executor"));
}

TEST_F(RouteAnswersTest, TheContractIsServedWithoutAKey) {
  start();
  auto document = http_get(server->url("/api/v1/openapi.json"));
  ASSERT_EQ(document.status, 200);
  EXPECT_EQ(document.header("content-type"), "application/json; charset=utf-8");
  const auto body = parse_body(document);
  EXPECT_EQ(body.at("openapi"), "3.1.0");
  EXPECT_TRUE(body.at("paths").as_object().contains("/api/v1/jobs/{job_id}"));
  EXPECT_TRUE(body.at("components").at("securitySchemes").as_object().contains("bearerAuth"));
}

TEST_F(RouteAnswersTest, ASignedLinkToAMissingFileIsNotFound) {
  start();
  std::ifstream secrets_file(server->data_dir() / "secrets.json");
  std::stringstream secrets_text;
  secrets_text << secrets_file.rdbuf();
  const std::string secret(boost::json::parse(secrets_text.str()).at("url_signing_secret").as_string());
  const std::string key = "dev/alice/job_0000000000000000000000/gone.csv";
  const std::string expires = std::to_string(time(nullptr) + 600);
  auto missing = http_get(server->url("/files/" + key + "?expires=" + expires +
                                      "&signature=" + hmac_sha256_hex(secret, key + "\n" + expires)));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code_of(missing), "not_found");
  auto unsigned_link = http_get(server->url("/files/" + key));
  EXPECT_EQ(unsigned_link.status, 403);
  EXPECT_EQ(error_code_of(unsigned_link), "forbidden");
}

TEST_F(RouteAnswersTest, AKnownPathWithAnotherMethodIs405WithAllow) {
  start();
  auto wrong = http_request(HttpRequest{"DELETE", server->url("/api/v1/jobs"), {}, "", 5'000});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(error_code_of(wrong), "method_not_allowed");
  EXPECT_EQ(wrong.header("allow"), "GET, POST");
  EXPECT_EQ(http_request(HttpRequest{"POST", server->url("/health"), {}, "", 5'000}).status, 405);
}

}  // namespace
}  // namespace live2::api
