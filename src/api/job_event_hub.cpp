#include "api/job_event_hub.h"

#include <vector>

namespace live2::api {

JobEventHub::JobEventHub(JobStore& store) {
  store.add_listener([this](const Job& job) { publish(job); });
}

uint64_t JobEventHub::subscribe(const std::string& job_id, Callback callback) {
  std::lock_guard lock(mutex_);
  const uint64_t handle = next_handle_++;
  subscriptions_.emplace(handle, Subscription{job_id, std::move(callback)});
  handles_by_job_.emplace(job_id, handle);
  return handle;
}

void JobEventHub::unsubscribe(uint64_t handle) {
  std::lock_guard lock(mutex_);
  auto it = subscriptions_.find(handle);
  if (it == subscriptions_.end()) return;
  auto [first, last] = handles_by_job_.equal_range(it->second.job_id);
  for (auto entry = first; entry != last; ++entry) {
    if (entry->second == handle) {
      handles_by_job_.erase(entry);
      break;
    }
  }
  subscriptions_.erase(it);
}

void JobEventHub::publish(const Job& job) {
  std::vector<Callback> callbacks;
  {
    std::lock_guard lock(mutex_);
    auto [first, last] = handles_by_job_.equal_range(job.job_id);
    for (auto entry = first; entry != last; ++entry) callbacks.push_back(subscriptions_.at(entry->second).callback);
  }
  for (const auto& callback : callbacks) callback(job);
}

}  // namespace live2::api
