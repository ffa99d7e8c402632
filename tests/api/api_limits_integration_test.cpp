// The API's limits against hostile and careless clients, end to end: the real `live2 serve` over HTTP on loopback.
// /metrics keeps a fixed size under made-up methods and paths and needs an admin key on the main listener; the Bearer
// scheme is case-insensitive; a 422 lists a bounded number of problems; failed authentications are limited per client
// address (X-Forwarded-For believed only from trusted proxies); event streams are capped per user and end after
// their lifetime. Every loop here is bounded in count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <random>
#include <string_view>
#include <vector>

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
using testing::parse_body;
using ::testing::HasSubstr;

class ApiLimitsTest : public ::testing::Test {
 protected:
  void start(std::map<std::string, std::string> env = {}) {
    env.emplace("LIVE2_TIER_HOBBY_REQUESTS_PER_MINUTE", "100000");
    server = std::make_unique<ServerProcess>(ServerOptions{env, std::nullopt, {}, 15'000});
    server->start();
    alice = server->create_key("alice", "hobby");
    ops = server->create_key("ops", "research", true);
  }

  std::unique_ptr<ServerProcess> server;
  std::string alice, ops;
};

size_t line_count(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST_F(ApiLimitsTest, MadeUpMethodsAndRandomPathsLeaveMetricsTheSameSize) {
  start();
  auto scrape = [&] {
    auto metrics = http_get(server->url("/metrics"), bearer(ops));
    EXPECT_EQ(metrics.status, 200);
    return metrics.body;
  };
  std::mt19937 random(12);
  auto junk = [&random](std::string_view prefix, int length) {
    static constexpr char kChars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out(prefix);
    for (int i = 0; i < length; ++i) out.push_back(kChars[random() % (sizeof kChars - 1)]);
    return out;
  };
  // One of each kind first, so every label set the flood can reach exists before the baseline.
  auto flood = [&](int count) {
    for (int i = 0; i < count; ++i) {
      HttpRequest odd{junk("X", 12), server->url(junk("/", 20)), {}, "", 10'000};
      EXPECT_EQ(http_request(odd).status, 404);
      EXPECT_EQ(http_get(server->url(junk("/api/v1/", 20)), bearer(alice)).status, 404);
      EXPECT_EQ(http_get(server->url(junk("/api/v1/jobs/", 20) + junk("/", 8)), bearer(alice)).status, 404);
    }
  };
  flood(1);
  scrape();
  const std::string before = scrape();
  flood(300);
  const std::string after = scrape();
  EXPECT_EQ(line_count(after), line_count(before));
  // Only counts and sums grow a few digits.
  EXPECT_LT(after.size(), before.size() + 1024) << after;
  EXPECT_THAT(after, HasSubstr(R"(route="unmatched",method="other",status="4xx"} 301)"));
}

TEST_F(ApiLimitsTest, MetricsOnTheMainListenerNeedAnAdminKey) {
  start();
  auto anonymous = http_get(server->url("/metrics"));
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.body.find("live2_"), std::string::npos);
  auto user = http_get(server->url("/metrics"), bearer(alice));
  EXPECT_EQ(user.status, 403);
  EXPECT_EQ(error_code_of(user), "forbidden");
  auto admin = http_get(server->url("/metrics"), bearer(ops));
  EXPECT_EQ(admin.status, 200);
  EXPECT_THAT(admin.body, HasSubstr("live2_http_requests_total{"));
}

TEST_F(ApiLimitsTest, TheBearerSchemeIsCaseInsensitive) {
  start();
  for (const char* scheme : {"bearer", "BEARER", "BeArEr"}) {
    auto response = http_get(server->url("/api/v1/jobs"), {{"Authorization", std::string(scheme) + " " + alice}});
    EXPECT_EQ(response.status, 200) << scheme << ": " << response.body;
  }
}

// A body of the largest allowed size made of unknown fields: the answer stays small and says how many there were.
TEST_F(ApiLimitsTest, A422ForAMebibyteOfBadFieldsStaysSmall) {
  start();
  std::string body = R"({"job_type":"run_simulation","params":{"simulation_config":{"mode":"open_chemistry"}})";
  int fields = 0;
  while (body.size() < (1u << 20) - 32) body += ",\"f" + std::to_string(fields++) + "\":0";
  body += "}";
  auto response = http_post_json(server->url("/api/v1/jobs"), body, bearer(alice));
  ASSERT_EQ(response.status, 422) << response.body.substr(0, 500);
  EXPECT_LT(response.body.size(), 4096u);
  const auto error = parse_body(response).at("error").as_object();
  EXPECT_EQ(error.at("details").as_array().size(), 20u);
  EXPECT_EQ(error.at("details_truncated"), true);
  EXPECT_EQ(error.at("details_total").to_number<int64_t>(), fields);
}

// Without trusted proxies X-Forwarded-For is the client's own text: changing it does not buy new attempts.
TEST_F(ApiLimitsTest, FailedAuthenticationsAreLimitedPerClientAddress) {
  start({{"LIVE2_AUTH_FAILURES_PER_MINUTE", "5"}});
  const std::string jobs = server->url("/api/v1/jobs");
  for (int i = 0; i < 5; ++i) {
    auto refused = http_get(jobs, {{"Authorization", "Bearer sk_live_" + std::string(32, 'a' + i)},
                                   {"X-Forwarded-For", "203.0.113." + std::to_string(i)}});
    ASSERT_EQ(refused.status, 401) << i;
  }
  auto limited = http_get(jobs, {{"Authorization", "Bearer sk_live_" + std::string(32, 'f')},
                                 {"X-Forwarded-For", "203.0.113.99"}});
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(error_code_of(limited), "rate_limited");
  EXPECT_EQ(limited.header("retry-after"), "12");  // 5 per minute: one more attempt every 12 s
  EXPECT_EQ(http_get(jobs).status, 429);           // no key at all is a failure too
  // A valid key the server has not seen lately is not looked up from this address either, until the wait is over.
  EXPECT_EQ(http_get(jobs, bearer(alice)).status, 429);
  EXPECT_EQ(http_get(server->url("/health")).status, 200);  // public routes are not affected
}

TEST_F(ApiLimitsTest, BehindATrustedProxyEachForwardedClientHasItsOwnCount) {
  start({{"LIVE2_AUTH_FAILURES_PER_MINUTE", "3"}, {"LIVE2_TRUSTED_PROXIES", "127.0.0.0/8"}});
  const std::string jobs = server->url("/api/v1/jobs");
  const std::string made_up = "Bearer sk_live_" + std::string(32, '0');
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(http_get(jobs, {{"Authorization", made_up}, {"X-Forwarded-For", "203.0.113.9"}}).status, 401);
  }
  EXPECT_EQ(http_get(jobs, {{"Authorization", made_up}, {"X-Forwarded-For", "203.0.113.9"}}).status, 429);
  // Whatever the client writes left of what the proxy appended is not believed.
  EXPECT_EQ(http_get(jobs, {{"Authorization", made_up}, {"X-Forwarded-For", "198.51.100.1, 203.0.113.9"}}).status,
            429);
  EXPECT_EQ(http_get(jobs, {{"Authorization", made_up}, {"X-Forwarded-For", "203.0.113.10"}}).status, 401);
  EXPECT_EQ(http_get(jobs, {{"Authorization", "Bearer " + alice}, {"X-Forwarded-For", "203.0.113.10"}}).status, 200);
  EXPECT_EQ(server->stop(), 0);  // flushes the access log
  EXPECT_THAT(server->log_text(), HasSubstr(R"("remote":"203.0.113.9")"));
}

// A worker that never finishes, so a job stays running for as long as a test needs its event stream.
std::string endless_worker(const live2::testing::TempDir& dir) {
  const auto path = dir / "endless_worker.sh";
  std::ofstream(path) << "#!/bin/sh\nexec sleep 600\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path.string();
}

TEST_F(ApiLimitsTest, EventStreamsPerUserAreCappedAndEndAfterTheirLifetime) {
  constexpr int kStreams = 16;
  constexpr int64_t kLifetimeMs = 5'000;
  live2::testing::TempDir dir;
  start({{"LIVE2_EVENT_STREAMS_PER_USER", std::to_string(kStreams)},
         {"LIVE2_EVENT_STREAM_LIFETIME_MS", std::to_string(kLifetimeMs)},
         {"LIVE2_WORKER_BINARY", endless_worker(dir)}});
  auto submitted = http_post_json(server->url("/api/v1/jobs"), testing::job_body(), bearer(alice));
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string events_url =
      server->url("/api/v1/jobs/" + std::string(parse_body(submitted).at("job_id").as_string()) + "/events");

  struct Outcome {
    live2::testing::HttpResponse response;
    int64_t duration_ms = 0;
  };
  std::atomic<int> first_events{0};
  std::vector<std::future<Outcome>> streams;
  for (int i = 0; i < kStreams; ++i) {
    streams.push_back(std::async(std::launch::async, [&] {
      const auto started = std::chrono::steady_clock::now();
      bool counted = false;
      Outcome outcome;
      outcome.response = live2::testing::http_stream(HttpRequest{"GET", events_url, bearer(alice), "", 30'000},
                                                     [&](std::string_view chunk) {
                                                       if (!counted && chunk.find("event: job") != chunk.npos) {
                                                         counted = true;
                                                         ++first_events;
                                                       }
                                                       return true;
                                                     });
      outcome.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                                  started).count();
      return outcome;
    }));
  }
  ASSERT_TRUE(testing::eventually([&] { return first_events.load() == kStreams; }, 20'000));
  auto refused = http_get(events_url, bearer(alice));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(error_code_of(refused), "quota_exceeded");
  EXPECT_FALSE(refused.header("retry-after").empty());
  auto other_user = live2::testing::http_stream(HttpRequest{"GET", events_url, bearer(ops), "", 10'000},
                                                [](std::string_view) { return false; });
  EXPECT_EQ(other_user.status, 200);  // the cap is per user

  // The server ends every stream after its lifetime, although the job is still running; the client reconnects.
  for (auto& stream : streams) {
    const Outcome outcome = stream.get();
    EXPECT_EQ(outcome.response.status, 200);
    EXPECT_TRUE(outcome.response.transport_error.empty()) << outcome.response.transport_error;
    EXPECT_THAT(outcome.response.body, HasSubstr("\"status\":\"running\""));
    EXPECT_GE(outcome.duration_ms, kLifetimeMs - 1'000);
    EXPECT_LT(outcome.duration_ms, kLifetimeMs + 10'000);
  }
  // Their slots are free again.
  auto again = live2::testing::http_stream(HttpRequest{"GET", events_url, bearer(alice), "", 10'000},
                                           [](std::string_view) { return false; });
  EXPECT_EQ(again.status, 200);
}

}  // namespace
}  // namespace live2::api
