#include "thread_team.h"

namespace live2::sim {
namespace {

// About a microsecond or two of polling before blocking: enough to catch the partner of a balanced loop on idle
// cores without a futex round trip, short enough not to steal much from others on a busy machine.
constexpr int kSpinsBeforeBlocking = 2000;

// Polls `done` a little, then sleeps on `value` (futex) until it differs from the last value seen, and re-checks.
template <typename T, typename Done>
void spin_then_wait(const std::atomic<T>& value, Done done) {
  for (int spin = 0; spin < kSpinsBeforeBlocking; ++spin) {
    if (done()) return;
  }
  T seen = value.load(std::memory_order_acquire);
  while (!done()) {
    value.wait(seen, std::memory_order_acquire);
    seen = value.load(std::memory_order_acquire);
  }
}

}  // namespace

ThreadTeam::ThreadTeam(int threads) : size_(threads < 1 ? 1 : threads) {
  for (int chunk = 1; chunk < size_; ++chunk) workers_.emplace_back([this, chunk] { work(chunk); });
}

ThreadTeam::~ThreadTeam() {
  stopping_ = true;
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadTeam::run_chunk(int chunk) const {
  const int64_t begin = n_ * chunk / size_, end = n_ * (chunk + 1) / size_;
  if (begin < end) (*body_)(begin, end, chunk);
}

void ThreadTeam::run(int64_t n, const ChunkBody& body) {
  if (size_ == 1) {
    if (n > 0) body(0, n, 0);
    return;
  }
  body_ = &body;
  n_ = n;
  pending_.store(size_ - 1, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  run_chunk(0);
  spin_then_wait(pending_, [this] { return pending_.load(std::memory_order_acquire) == 0; });
}

void ThreadTeam::work(int chunk) {
  uint64_t seen = 0;
  for (;;) {
    spin_then_wait(generation_, [&] { return generation_.load(std::memory_order_acquire) != seen; });
    seen = generation_.load(std::memory_order_acquire);
    if (stopping_) return;
    run_chunk(chunk);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

}  // namespace live2::sim
