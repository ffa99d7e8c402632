// HttpServer in process on loopback: an event stream whose client never reads is ended once the chunks waiting for
// its socket pass the server's bound, instead of queueing without limit.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "api/http_server.h"
#include "support/raw_connection.h"

namespace live2::api {
namespace {

using Clock = std::chrono::steady_clock;

// Sends 16 KiB chunks every millisecond from its own thread until the sink says the connection is gone.
class FloodStream final : public EventStream {
 public:
  ~FloodStream() override { wait(); }
  void open(std::shared_ptr<StreamSink> sink) override {
    sender_ = std::thread([this, sink] {
      const auto give_up = Clock::now() + std::chrono::seconds(5);
      const std::string chunk(16 * 1024, 'e');
      while (Clock::now() < give_up) {
        if (!sink->send(chunk)) {
          refused_ = true;
          return;
        }
        sent_bytes_ += chunk.size();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
    opened_ = true;
  }
  void close() override {}
  std::string heartbeat_chunk() const override { return ": heartbeat\n\n"; }
  int64_t heartbeat_interval_ms() const override { return 60'000; }

  // Waits until the server opened the stream and the sender stopped.
  void wait() {
    const auto give_up = Clock::now() + std::chrono::seconds(5);
    while (!opened_ && Clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (opened_ && sender_.joinable()) sender_.join();
  }
  bool refused() const { return refused_; }
  size_t sent_bytes() const { return sent_bytes_; }

 private:
  std::thread sender_;
  std::atomic<bool> opened_{false};
  std::atomic<bool> refused_{false};
  std::atomic<size_t> sent_bytes_{0};
};

TEST(HttpServerStream, AStreamWhoseClientDoesNotReadEndsAtTheQueueBound) {
  auto stream = std::make_shared<FloodStream>();
  HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.idle_timeout_ms = 60'000;  // the write deadline cannot be what ends it
  auto server = HttpServer::start(options, [stream](Request&) {
    Response response;
    response.content_type = "text/event-stream";
    response.event_stream = stream;
    return response;
  });
  ASSERT_TRUE(server.ok()) << server.error().message;
  live2::testing::RawConnection client((*server)->port());
  ASSERT_TRUE(client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n"));  // and never reads

  stream->wait();
  EXPECT_GT(stream->sent_bytes(), 0u);
  EXPECT_TRUE(stream->refused()) << "still accepted after " << stream->sent_bytes() << " bytes";
  (*server)->shutdown(1'000);
}

}  // namespace
}  // namespace live2::api
