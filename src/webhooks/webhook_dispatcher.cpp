#include "webhooks/webhook_dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>

#include "webhooks/webhook_retry_schedule.h"
#include "webhooks/webhook_signature.h"

namespace live2::webhooks {

WebhookDispatcher::WebhookDispatcher(WebhookOutbox& outbox, WebhookTransport& transport, const Clock& clock,
                                     WebhookOptions options)
    : outbox_(outbox),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      owned_resolver_(std::make_unique<SystemHostResolver>()),
      owned_random_(std::make_unique<OsRandomSource>()),
      resolver_(*owned_resolver_),
      random_(*owned_random_),
      loop_([this] { return run_pass(); }) {}

WebhookDispatcher::WebhookDispatcher(WebhookOutbox& outbox, WebhookTransport& transport, const Clock& clock,
                                     WebhookOptions options, HostResolver& resolver, RandomSource& random)
    : outbox_(outbox),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      resolver_(resolver),
      random_(random),
      loop_([this] { return run_pass(); }) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::start() { loop_.start(); }

void WebhookDispatcher::stop() { loop_.stop(); }

void WebhookDispatcher::wake() { loop_.wake(); }

std::chrono::milliseconds WebhookDispatcher::run_pass() {
  const int attempted = deliver_due();
  return std::chrono::milliseconds(attempted == options_.batch_size ? 0 : options_.poll_interval_ms);
}

int WebhookDispatcher::deliver_due() {
  Result<std::vector<WebhookDelivery>> due = outbox_.due_webhook_deliveries(clock_.now_ms(), options_.batch_size);
  if (!due) {
    spdlog::warn("webhooks: cannot read the outbox: {}", due.error().message);
    return 0;
  }
  // One queue per job, in outbox order, so a job's events never overtake each other.
  std::vector<std::vector<WebhookDelivery>> per_job;
  std::map<std::string, size_t> queue_of_job;
  for (WebhookDelivery& delivery : *due) {
    auto [it, inserted] = queue_of_job.try_emplace(delivery.job_id, per_job.size());
    if (inserted) per_job.emplace_back();
    per_job[it->second].push_back(std::move(delivery));
  }
  std::atomic<size_t> next_queue{0};
  std::atomic<int> attempted{0};
  auto drain = [&] {
    for (size_t queue = next_queue++; queue < per_job.size(); queue = next_queue++) {
      for (WebhookDelivery& delivery : per_job[queue]) {
        if (loop_.stop_requested()) return;
        attempt(std::move(delivery));
        ++attempted;
      }
    }
  };
  const size_t workers = std::clamp<size_t>(per_job.size(), 1, std::max(1, options_.parallel_attempts));
  std::vector<std::jthread> helpers;
  for (size_t i = 1; i < workers; ++i) helpers.emplace_back(drain);
  drain();
  helpers.clear();  // joins
  return attempted;
}

void WebhookDispatcher::attempt(WebhookDelivery delivery) {
  ++delivery.attempts;
  const int64_t started_ms = clock_.now_ms();
  Result<PinnedWebhookTarget> target =
      pin_webhook_target(delivery.url, resolver_, WebhookAddressPolicy{options_.allow_insecure});
  if (!target) {
    ++refused_;
    const bool permanent = target.error().code == ErrorCode::invalid_webhook_url;
    record_failure(delivery, started_ms, target.error().message, permanent);
    return;
  }
  Result<std::string> body = webhook_body(delivery, started_ms);
  if (!body) {
    ++failed_;
    record_failure(delivery, started_ms, body.error().message, true);
    return;
  }
  const int64_t signed_at_s = started_ms / 1000;
  WebhookRequest request{std::move(target).value(),
                         {{"X-Live2-Event", delivery.event},
                          {"X-Live2-Delivery", delivery.delivery_id},
                          {"X-Live2-Signature", webhook_signature_header(options_.secret, signed_at_s, *body)}},
                         std::move(body).value(),
                         options_.request_timeout_ms,
                         &loop_.stop_requested()};
  Result<int> status = transport_.post(request);
  const int64_t finished_ms = clock_.now_ms();
  if (status && *status >= 200 && *status < 300) {
    ++delivered_;
    delivery.finished = true;
    delivery.last_error.clear();
    if (Status saved = outbox_.update_webhook_delivery(delivery); !saved) {
      spdlog::warn("webhooks: delivery {} sent but not recorded: {}", delivery.delivery_id, saved.error().message);
    }
    return;
  }
  ++failed_;
  record_failure(delivery, finished_ms,
                 status ? "HTTP " + std::to_string(*status) + " from the receiver" : status.error().message, false);
}

void WebhookDispatcher::record_failure(WebhookDelivery& delivery, int64_t now_ms, std::string error, bool permanent) {
  delivery.last_error = std::move(error);
  std::optional<int64_t> next;
  if (!permanent) next = webhook_next_attempt_ms(delivery.created_at_ms, now_ms, delivery.attempts, jitter_unit());
  if (next) {
    delivery.next_attempt_at_ms = *next;
    spdlog::info("webhooks: delivery {} ({} for {}) attempt {} failed: {}; next attempt in {} s", delivery.delivery_id,
                 delivery.event, delivery.job_id, delivery.attempts, delivery.last_error, (*next - now_ms) / 1000);
  } else {
    delivery.finished = true;
    ++gave_up_;
    spdlog::warn("webhooks: giving up delivery {} ({} for {}) after {} attempts: {}", delivery.delivery_id,
                 delivery.event, delivery.job_id, delivery.attempts, delivery.last_error);
  }
  if (Status saved = outbox_.update_webhook_delivery(delivery); !saved) {
    spdlog::warn("webhooks: cannot record delivery {}: {}", delivery.delivery_id, saved.error().message);
  }
}

double WebhookDispatcher::jitter_unit() {
  std::array<uint8_t, 8> bytes{};
  random_.fill(bytes.data(), bytes.size());
  uint64_t value = 0;
  std::memcpy(&value, bytes.data(), bytes.size());
  return static_cast<double>(value >> 11) / static_cast<double>(uint64_t{1} << 53);
}

WebhookDeliveryCounts WebhookDispatcher::counts() const {
  return WebhookDeliveryCounts{delivered_.load(), failed_.load(), refused_.load(), gave_up_.load()};
}

}  // namespace live2::webhooks
