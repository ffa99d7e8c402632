// Test doubles for webhook delivery (thread-safe, like the real ones): DNS answers from a table, a transport that records requests and answers with
// scripted statuses, and a random source with fixed bytes (zero bytes give the shortest jitter: 0.8 x the delay).
#pragma once

#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <vector>

#include "base/random_source.h"
#include "webhooks/webhook_address_policy.h"
#include "webhooks/webhook_transport.h"

namespace live2::webhooks {

class FixedResolver final : public HostResolver {
 public:
  std::map<std::string, std::vector<std::string>> records;
  std::vector<std::string> asked;

  Result<std::vector<IpAddress>> resolve(const std::string& host) override {
    std::lock_guard lock(mutex_);
    asked.push_back(host);
    auto it = records.find(host);
    if (it == records.end()) return Error::make(ErrorCode::dns_failed, "no such host " + host);
    std::vector<IpAddress> out;
    for (const auto& text : it->second) out.push_back(*IpAddress::parse(text));
    return out;
  }

 private:
  std::mutex mutex_;
};

class RecordingTransport final : public WebhookTransport {
 public:
  // Statuses to answer with, in order; when empty, every request gets `default_status`.
  std::deque<Result<int>> scripted;
  int default_status = 200;

  Result<int> post(const WebhookRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (scripted.empty()) return default_status;
    Result<int> out = scripted.front();
    scripted.pop_front();
    return out;
  }

  std::vector<WebhookRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<WebhookRequest> requests_;
};

class ZeroRandomSource final : public RandomSource {
 public:
  void fill(uint8_t* out, size_t size) override { std::memset(out, 0, size); }
};

inline std::string header_of(const WebhookRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace live2::webhooks
