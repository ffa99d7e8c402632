// WebhookReceiver: a tiny HTTP/1.1 server on 127.0.0.1 or [::1] (an ephemeral port) that records every request it gets and
// answers with scripted statuses, for tests of real webhook deliveries. One connection at a time, one request per
// connection (it answers with Connection: close). Thread-safe; the destructor stops its thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace live2::webhooks {

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

enum class Loopback { v4, v6 };

class WebhookReceiver {
 public:
  explicit WebhookReceiver(Loopback loopback = Loopback::v4);  // throws std::runtime_error when it cannot listen
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const;  // http://127.0.0.1:<port><path> or http://[::1]:<port><path>

  // Why this machine cannot listen on [::1] (no IPv6 in the kernel, or no ::1 configured), or nullopt when it can.
  static std::optional<std::string> ipv6_loopback_missing();

  // The next requests get these statuses, in order; after that, 200.
  void script(std::vector<int> statuses);
  // While held, requests are read and recorded but not answered (a receiver that hangs).
  void hold_answers(bool hold) { holding_ = hold; }
  // Waits up to `timeout_ms` until at least `count` requests arrived; returns them all.
  std::vector<ReceivedRequest> wait_for(size_t count, int64_t timeout_ms);

 private:
  void serve();
  void handle(int connection);

  Loopback loopback_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> holding_{false};
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<int> statuses_;
  std::vector<ReceivedRequest> received_;
  std::thread thread_;
};

}  // namespace live2::webhooks
