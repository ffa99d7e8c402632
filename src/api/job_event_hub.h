// JobEventHub: fans the store's job-change notifications out to the callers watching one job (SSE streams).
// It registers one listener with the store for its whole life, so it must outlive nothing but the store's
// listener list: create it once per process, before serving, and keep it until the store is gone.
// Callbacks run on the thread that committed the change, outside the hub's lock; they must be quick. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/job.h"
#include "store/job_store.h"

namespace live2::api {

class JobEventHub {
 public:
  using Callback = std::function<void(const Job& job)>;

  explicit JobEventHub(JobStore& store);

  // Returns a handle for unsubscribe(). The callback may run before subscribe() returns.
  uint64_t subscribe(const std::string& job_id, Callback callback);
  void unsubscribe(uint64_t handle);

 private:
  void publish(const Job& job);

  struct Subscription {
    std::string job_id;
    Callback callback;
  };
  mutable std::mutex mutex_;
  uint64_t next_handle_ = 1;
  std::unordered_map<uint64_t, Subscription> subscriptions_;
  std::unordered_multimap<std::string, uint64_t> handles_by_job_;
};

}  // namespace live2::api
