#include "api/event_stream_registry.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace live2::api {

EventStreamRegistry::Slot::~Slot() { registry_.release(id_); }

EventStreamRegistry::EventStreamRegistry(const Clock& clock, int64_t max_per_user, int64_t max_lifetime_ms)
    : clock_(clock), max_per_user_(max_per_user), max_lifetime_ms_(max_lifetime_ms) {}

std::unique_ptr<EventStreamRegistry::Slot> EventStreamRegistry::admit(const std::string& user_id,
                                                                      std::function<void()> end_stream) {
  const int64_t now_ms = clock_.monotonic_ms();
  std::lock_guard lock(mutex_);
  int64_t& open = open_by_user_[user_id];
  if (open >= max_per_user_) return nullptr;
  ++open;
  const uint64_t id = next_id_++;
  entries_.emplace(id, Entry{user_id, now_ms + max_lifetime_ms_, std::move(end_stream)});
  return std::make_unique<Slot>(*this, id);
}

void EventStreamRegistry::release(uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto user = open_by_user_.find(it->second.user_id);
  if (--user->second == 0) open_by_user_.erase(user);
  entries_.erase(it);
}

size_t EventStreamRegistry::end_expired() {
  const int64_t now_ms = clock_.monotonic_ms();
  std::vector<std::function<void()>> due;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, entry] : entries_) {
      if (entry.end_at_ms > now_ms) break;
      if (entry.end_stream) due.push_back(std::exchange(entry.end_stream, nullptr));
    }
  }
  for (const auto& end_stream : due) end_stream();
  return due.size();
}

int64_t EventStreamRegistry::next_wait_ms() const {
  const int64_t now_ms = clock_.monotonic_ms();
  std::lock_guard lock(mutex_);
  for (const auto& [id, entry] : entries_) {
    if (entry.end_stream) return std::max<int64_t>(0, entry.end_at_ms - now_ms);
  }
  return max_lifetime_ms_;
}

size_t EventStreamRegistry::open_streams(const std::string& user_id) const {
  std::lock_guard lock(mutex_);
  auto it = open_by_user_.find(user_id);
  return it == open_by_user_.end() ? 0 : static_cast<size_t>(it->second);
}

}  // namespace live2::api
