// A fixed team of threads for the engine's data-parallel loops: run(n, body) splits [0, n) into one contiguous chunk
// per thread (chunk k to thread k; the calling thread runs chunk 0) and returns when every chunk is done. Waiting
// threads spin briefly, then block on a futex (std::atomic::wait), so the team stays usable on an oversubscribed
// machine, where OpenMP's default spin-waiting made each step wait for descheduled spinners. Results never depend on
// the split: callers only write per-atom data or per-chunk partial results they combine in a fixed order.
// Not thread safe: one caller drives a team.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace live2::sim {

class ThreadTeam {
 public:
  using ChunkBody = std::function<void(int64_t begin, int64_t end, int chunk)>;

  explicit ThreadTeam(int threads);
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  int size() const { return size_; }
  void run(int64_t n, const ChunkBody& body);

 private:
  void work(int chunk);
  void run_chunk(int chunk) const;

  int size_;
  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};  // bumped to start a job (or to stop)
  std::atomic<int> pending_{0};          // worker chunks of the current job not yet finished
  bool stopping_ = false;                // written before a generation bump, read after it
  const ChunkBody* body_ = nullptr;
  int64_t n_ = 0;
};

}  // namespace live2::sim
