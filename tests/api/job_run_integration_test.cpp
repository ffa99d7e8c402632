// A real job through the real server and worker: SSE events until the terminal status, logs, metrics, artifacts
// downloaded by signed URL (and refused with a tampered or expired signature), and graceful shutdown with requests
// in flight leaving the job consistent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>

#include "base/hashing.h"
#include "server_test_helpers.h"

namespace live2::api {
namespace {

using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::http_post_json;
using live2::testing::HttpRequest;
using live2::testing::ServerOptions;
using live2::testing::ServerProcess;
using testing::job_body;
using testing::parse_body;
using ::testing::HasSubstr;

// The job objects of every `event: job` in an SSE text.
std::vector<boost::json::value> job_events(const std::string& stream_text) {
  std::vector<boost::json::value> events;
  std::istringstream lines(stream_text);
  std::string line;
  bool in_job_event = false;
  while (std::getline(lines, line)) {
    if (line == "event: job") in_job_event = true;
    else if (in_job_event && line.starts_with("data: ")) events.push_back(boost::json::parse(line.substr(6)));
    else if (line.empty()) in_job_event = false;
  }
  return events;
}

std::string query_value(const std::string& url, const std::string& name) {
  const auto at = url.find(name + "=");
  const auto end = url.find('&', at);
  return url.substr(at + name.size() + 1, end == std::string::npos ? std::string::npos : end - at - name.size() - 1);
}

class JobRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server = std::make_unique<ServerProcess>(ServerOptions{{{"LIVE2_WORKER_THREADS", "1"}}, std::nullopt, {}, 15'000});
    server->start();
    key = server->create_key("carol", "research");
  }
  std::unique_ptr<ServerProcess> server;
  std::string key;
};

TEST_F(JobRunTest, EventsLogsMetricsAndSignedDownloads) {
  auto submitted = http_post_json(server->url("/api/v1/jobs"), job_body(200, 4000), bearer(key));
  ASSERT_EQ(submitted.status, 202) << submitted.body;
  const std::string job_id(parse_body(submitted).at("job_id").as_string());

  HttpRequest events_request{"GET", server->url("/api/v1/jobs/" + job_id + "/events"), bearer(key), "", 120'000};
  auto stream = live2::testing::http_stream(events_request, [](std::string_view) { return true; });
  ASSERT_EQ(stream.status, 200) << stream.transport_error;
  EXPECT_THAT(stream.header("content-type"), HasSubstr("text/event-stream"));
  EXPECT_TRUE(stream.transport_error.empty()) << stream.transport_error;  // ended by the server, cleanly
  auto events = job_events(stream.body);
  ASSERT_GE(events.size(), 2u) << stream.body;
  EXPECT_EQ(events.back().at("status"), "completed") << stream.body;
  double last_progress = -1;
  for (const auto& event : events) {
    const double progress = event.at("progress").to_number<double>();
    EXPECT_GE(progress, last_progress);
    last_progress = progress;
  }

  auto logs = http_get(server->url("/api/v1/jobs/" + job_id + "/logs?tail=20"), bearer(key));
  EXPECT_EQ(logs.status, 200);
  EXPECT_THAT(logs.header("content-type"), HasSubstr("text/plain"));
  EXPECT_FALSE(logs.body.empty());

  auto metrics = http_get(server->url("/api/v1/jobs/" + job_id + "/metrics"), bearer(key));
  ASSERT_EQ(metrics.status, 200) << metrics.body;
  auto table = parse_body(metrics);
  EXPECT_EQ(table.at("columns").as_array()[0], "step");
  EXPECT_FALSE(table.at("rows").as_array().empty());

  auto listing = http_get(server->url("/api/v1/jobs/" + job_id + "/artifacts"), bearer(key));
  ASSERT_EQ(listing.status, 200) << listing.body;
  const auto body = parse_body(listing);
  EXPECT_EQ(body.at("expires_in"), 3600);
  const boost::json::object* summary = nullptr;
  for (const auto& artifact : body.at("artifacts").as_array()) {
    if (artifact.at("name") == "summary.json") summary = &artifact.as_object();
  }
  ASSERT_NE(summary, nullptr) << listing.body;
  const std::string url(summary->at("url").as_string());
  auto download = http_get(url);  // no API key needed
  ASSERT_EQ(download.status, 200) << url;
  EXPECT_EQ(static_cast<int64_t>(download.body.size()), summary->at("size").as_int64());
  EXPECT_EQ(download.header("content-length"), std::to_string(download.body.size()));
  EXPECT_THAT(download.header("content-type"), HasSubstr("application/json"));
  EXPECT_EQ(download.header("content-security-policy"), "sandbox; default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(download.header("content-disposition"), "inline");
  EXPECT_EQ(download.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(download.header("cache-control"), "private, no-cache");  // a link may outlive a version of its file

  std::string tampered = url;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  EXPECT_EQ(http_get(tampered).status, 403);

  // A correctly signed link whose time is up.
  std::ifstream secrets_file(server->data_dir() / "secrets.json");
  std::stringstream secrets_text;
  secrets_text << secrets_file.rdbuf();
  const std::string secret(boost::json::parse(secrets_text.str()).at("url_signing_secret").as_string());
  const std::string artifact_key(summary->at("key").as_string());
  const int64_t past = std::stoll(query_value(url, "expires")) - 7200;
  const std::string expired = url.substr(0, url.find('?')) + "?expires=" + std::to_string(past) +
                              "&signature=" + hmac_sha256_hex(secret, artifact_key + "\n" + std::to_string(past));
  EXPECT_EQ(http_get(expired).status, 403);
}

TEST_F(JobRunTest, EventsOfAFinishedJobSendOneEventAndEnd) {
  auto submitted = http_post_json(server->url("/api/v1/jobs"), job_body(), bearer(key));
  const std::string job_id(parse_body(submitted).at("job_id").as_string());
  ASSERT_EQ(http_post_json(server->url("/api/v1/jobs/" + job_id + "/cancel"), "", bearer(key)).status, 200);
  ASSERT_TRUE(testing::eventually([&] {
    return parse_body(http_get(server->url("/api/v1/jobs/" + job_id), bearer(key))).at("status") == "cancelled";
  }, 30'000));
  HttpRequest request{"GET", server->url("/api/v1/jobs/" + job_id + "/events"), bearer(key), "", 10'000};
  auto stream = live2::testing::http_stream(request, [](std::string_view) { return true; });
  auto events = job_events(stream.body);
  ASSERT_EQ(events.size(), 1u) << stream.body;
  EXPECT_EQ(events[0].at("status"), "cancelled");
}

// Sends a request's header and half its body, so the server has a request in flight until the rest arrives.
int open_half_sent_request(int port, const std::string& key, const std::string& body) {
  const int fd = testing::connect_loopback(port);
  const std::string head = "POST /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key +
                           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                           "\r\n\r\n" + body.substr(0, body.size() / 2);
  if (fd < 0 || !testing::send_text(fd, head)) return -1;
  return fd;
}

// The request completes while the server stops: its answer is held until the job is durable, and nothing else
// keeps the io threads busy then (the acceptor is closed, the stream ended), so the hold itself must count as work.
TEST_F(JobRunTest, GracefulShutdownFinishesInFlightRequestsAndKeepsJobsConsistent) {
  auto running = http_post_json(server->url("/api/v1/jobs"), job_body(400, 200'000), bearer(key));
  const std::string job_id(parse_body(running).at("job_id").as_string());
  ASSERT_TRUE(testing::eventually([&] {
    return parse_body(http_get(server->url("/api/v1/jobs/" + job_id), bearer(key))).at("status") == "running";
  }, 30'000));

  // An open event stream and a request whose body is still arriving.
  HttpRequest events_request{"GET", server->url("/api/v1/jobs/" + job_id + "/events"), bearer(key), "", 30'000};
  auto stream = std::async(std::launch::async, [&] {
    return live2::testing::http_stream(events_request, [](std::string_view) { return true; });
  });
  const std::string body = job_body();
  const int fd = open_half_sent_request(server->port(), key, body);
  ASSERT_GE(fd, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  const pid_t pid = server->pid();
  auto exit_code = std::async(std::launch::async, [&] { return server->stop(30'000); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(kill(pid, 0), 0) << "the server must wait for the request in flight";
  const std::string rest = body.substr(body.size() / 2);
  ASSERT_TRUE(testing::send_text(fd, rest));
  const std::string answer = testing::read_until_closed(fd);
  close(fd);
  EXPECT_THAT(answer, HasSubstr("HTTP/1.1 202"));
  EXPECT_THAT(answer, HasSubstr("Connection: close"));
  EXPECT_EQ(exit_code.get(), 0);
  auto events = stream.get();
  EXPECT_EQ(events.status, 200);
  EXPECT_TRUE(events.transport_error.empty()) << events.transport_error;  // the stream was ended, not cut

  server->start();
  auto after = parse_body(http_get(server->url("/api/v1/jobs/" + job_id), bearer(key)));
  EXPECT_THAT(std::string(after.at("status").as_string()), ::testing::AnyOf("queued", "running"));
  EXPECT_EQ(http_post_json(server->url("/api/v1/jobs/" + job_id + "/cancel"), "", bearer(key)).status, 200);
}

}  // namespace
}  // namespace live2::api
