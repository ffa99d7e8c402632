// The thread team covers every index exactly once with contiguous chunks in order, for any n and team size, over
// many back-to-back runs (the engine runs several per step).
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "sim/thread_team.h"

namespace live2::sim {
namespace {

TEST(ThreadTeam, EveryIndexExactlyOnceInOrderedContiguousChunks) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadTeam team(threads);
    EXPECT_EQ(team.size(), threads);
    for (int64_t n : {0, 1, 2, 7, 1000}) {
      std::vector<int> visits(static_cast<size_t>(n), 0);
      std::vector<std::pair<int64_t, int64_t>> chunk_range(threads, {-1, -1});
      team.run(n, [&](int64_t begin, int64_t end, int chunk) {
        chunk_range[chunk] = {begin, end};
        for (int64_t i = begin; i < end; ++i) ++visits[i];
      });
      for (int v : visits) ASSERT_EQ(v, 1) << threads << " threads, n " << n;
      int64_t next = 0;
      for (const auto& [begin, end] : chunk_range) {
        if (begin < 0) continue;  // empty chunks are not run
        EXPECT_EQ(begin, next);
        next = end;
      }
      EXPECT_EQ(next, n);
    }
  }
}

TEST(ThreadTeam, ManyShortRunsComplete) {
  ThreadTeam team(4);
  std::atomic<int64_t> total{0};
  for (int run = 0; run < 20000; ++run) {
    team.run(8, [&](int64_t begin, int64_t end, int) { total.fetch_add(end - begin, std::memory_order_relaxed); });
  }
  EXPECT_EQ(total.load(), 20000 * 8);
}

}  // namespace
}  // namespace live2::sim
