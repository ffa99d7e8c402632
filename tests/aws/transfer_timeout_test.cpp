// CurlHttpClient's timeouts against a loopback server that trickles its answer: a transfer (response to a file) that
// keeps moving outlives the whole-request total, a small call does not, and a transfer that stops moving fails
// within the stall timeout.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "aws/http_client.h"
#include "base/loopback_server.h"
#include "support/temp_dir.h"

namespace live2::aws {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// `chunks` chunks of `chunk_bytes`, `interval_ms` apart; after `stall_after` chunks nothing more.
testing::ScriptedAnswer trickle(int chunks, size_t chunk_bytes, int interval_ms, int stall_after) {
  testing::ScriptedAnswer answer;
  answer.body.assign(static_cast<size_t>(chunks) * chunk_bytes, 'x');
  answer.chunk_bytes = chunk_bytes;
  answer.interval_ms = interval_ms;
  answer.stall_after_bytes = static_cast<size_t>(stall_after) * chunk_bytes;
  return answer;
}

CurlHttpClientOptions short_timeouts() {
  CurlHttpClientOptions options;
  options.total_timeout_ms = 500;
  options.stall_timeout_ms = 1'000;
  return options;
}

TEST(TransferTimeouts, ASteadyDownloadOutlivesTheWholeRequestTotal) {
  testing::LoopbackServer server(trickle(20, 16 * 1024, 100, 20));  // about 2 s, four times the total
  testing::TempDir dir;
  CurlHttpClient http(short_timeouts());
  HttpRequest request;
  request.url = server.base_url() + "/object";
  request.response_file = dir / "object";
  Result<HttpResponse> response = http.send(request);
  ASSERT_TRUE(response.ok()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(std::filesystem::file_size(dir / "object"), 20u * 16 * 1024);
}

TEST(TransferTimeouts, ASmallCallStillHasTheWholeRequestTotal) {
  testing::LoopbackServer server(trickle(20, 64, 100, 20));
  CurlHttpClient http(short_timeouts());
  HttpRequest request;
  request.url = server.base_url() + "/object";
  Result<HttpResponse> response = http.send(request);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::timeout);
}

TEST(TransferTimeouts, AStalledDownloadFailsWithinTheStallTimeout) {
  testing::LoopbackServer server(trickle(20, 16 * 1024, 50, 2));  // two chunks, then silence
  testing::TempDir dir;
  CurlHttpClient http(short_timeouts());
  HttpRequest request;
  request.url = server.base_url() + "/object";
  request.response_file = dir / "object";
  const auto started = steady_clock::now();
  Result<HttpResponse> response = http.send(request);
  const auto elapsed_ms = std::chrono::duration_cast<milliseconds>(steady_clock::now() - started).count();
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, ErrorCode::timeout);  // sent: a GET may be retried, a submission not
  // libcurl reports progress about once a second while nothing moves, so a 1 s stall timeout fires between 1 and
  // about 2 s after the last byte; 5 s leaves room for a loaded machine (the server would wait for ever).
  EXPECT_GE(elapsed_ms, 1'000);
  EXPECT_LT(elapsed_ms, 5'000);
}

}  // namespace
}  // namespace live2::aws
