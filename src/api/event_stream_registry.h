// EventStreamRegistry: the open event streams (SSE) of every user, so that no one holds connections without bound.
// admit() hands out a Slot while the user has fewer than max_per_user streams open; a stream keeps its Slot until
// it closes. A stream is to end max_lifetime_ms after admission: end_expired() calls its `end_stream` then (the
// client reconnects and gets the job as it is by then). ApiContext runs end_expired() on a BackgroundLoop with the
// wait next_wait_ms() returns. Thread-safe; callbacks run outside the registry's lock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"

namespace live2::api {

class EventStreamRegistry {
 public:
  // One admitted stream; destroying it frees the user's slot (and cancels its end_stream).
  class Slot {
   public:
    Slot(EventStreamRegistry& registry, uint64_t id) : registry_(registry), id_(id) {}
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    EventStreamRegistry& registry_;
    const uint64_t id_;
  };

  EventStreamRegistry(const Clock& clock, int64_t max_per_user, int64_t max_lifetime_ms);

  // nullptr when `user_id` already has max_per_user streams open. `end_stream` runs at most once, from
  // end_expired(); it must not wait for anything that waits for the registry.
  std::unique_ptr<Slot> admit(const std::string& user_id, std::function<void()> end_stream);
  // Calls end_stream of every stream past its lifetime; returns how many.
  size_t end_expired();
  // How long until the oldest stream's lifetime is over (the whole lifetime when none is open).
  int64_t next_wait_ms() const;

  int64_t max_per_user() const { return max_per_user_; }
  size_t open_streams(const std::string& user_id) const;

 private:
  struct Entry {
    std::string user_id;
    int64_t end_at_ms;
    std::function<void()> end_stream;
  };
  void release(uint64_t id);

  const Clock& clock_;
  const int64_t max_per_user_;
  const int64_t max_lifetime_ms_;
  mutable std::mutex mutex_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, Entry> entries_;  // by id, which is also by end_at_ms: every stream lives equally long
  std::unordered_map<std::string, int64_t> open_by_user_;
};

}  // namespace live2::api
