// DirectoryUsage: the disk space a directory tree takes (allocated blocks, as `du` counts them, symlinks not followed),
// measured by a walk on its own thread and cached, so /metrics reads a number instead of walking the data directory on
// every scrape. A walk costs O(entries in the tree); the next one starts max(min_interval, 20 x the last walk's time)
// after it ended, so walking takes at most 1/21 of one core however large the tree grows, and the figure is at most
// that wait plus one walk old (latest() says when it was taken). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>

#include "base/background_loop.h"
#include "base/clock.h"

namespace live2 {

struct DirectoryUsageSample {
  int64_t bytes = 0;
  int64_t entries = 0;          // files, directories and links walked
  int64_t measured_at_ms = 0;   // 0: no walk has finished yet
  int64_t walk_ms = 0;          // how long that walk took
};

class DirectoryUsage {
 public:
  // `clock` must outlive this object.
  DirectoryUsage(std::filesystem::path root, const Clock& clock,
                 std::chrono::milliseconds min_interval = std::chrono::minutes(1));
  DirectoryUsage(const DirectoryUsage&) = delete;
  DirectoryUsage& operator=(const DirectoryUsage&) = delete;

  void start();
  void stop();
  DirectoryUsageSample latest() const;

  // One walk of `root` now, on the caller's thread (entries that vanish or cannot be read meanwhile are skipped).
  static DirectoryUsageSample measure(const std::filesystem::path& root, const Clock& clock);

 private:
  std::chrono::milliseconds walk_once();

  const std::filesystem::path root_;
  const Clock& clock_;
  const std::chrono::milliseconds min_interval_;
  mutable std::mutex mutex_;
  DirectoryUsageSample latest_;
  BackgroundLoop loop_;  // last: stops before the members its passes use
};

}  // namespace live2
