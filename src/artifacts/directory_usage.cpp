#include "artifacts/directory_usage.h"

#include <sys/stat.h>

#include <algorithm>
#include <system_error>
#include <utility>
#include <vector>

namespace live2 {
namespace {

// The walk may take at most 1/(kIdleFactor + 1) of one core.
constexpr int64_t kIdleFactor = 20;

}  // namespace

DirectoryUsage::DirectoryUsage(std::filesystem::path root, const Clock& clock, std::chrono::milliseconds min_interval)
    : root_(std::move(root)), clock_(clock), min_interval_(min_interval), loop_([this] { return walk_once(); }) {}

void DirectoryUsage::start() { loop_.start(); }

void DirectoryUsage::stop() { loop_.stop(); }

DirectoryUsageSample DirectoryUsage::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

DirectoryUsageSample DirectoryUsage::measure(const std::filesystem::path& root, const Clock& clock) {
  const int64_t started_ms = clock.now_ms();
  DirectoryUsageSample sample;
  std::vector<std::filesystem::path> pending{root};
  while (!pending.empty()) {
    const std::filesystem::path path = std::move(pending.back());
    pending.pop_back();
    // lstat: a symlink counts as itself and is never followed out of the tree. Workers create and delete files while
    // the walk runs: whatever vanished meanwhile is skipped, not an error.
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) continue;
    sample.bytes += static_cast<int64_t>(status.st_blocks) * 512;  // st_blocks counts 512-byte units on Linux
    ++sample.entries;
    if (!S_ISDIR(status.st_mode)) continue;
    std::error_code error;
    for (std::filesystem::directory_iterator entry(path, error), end; !error && entry != end; entry.increment(error)) {
      pending.push_back(entry->path());
    }
  }
  sample.measured_at_ms = clock.now_ms();
  sample.walk_ms = sample.measured_at_ms - started_ms;
  return sample;
}

std::chrono::milliseconds DirectoryUsage::walk_once() {
  const DirectoryUsageSample sample = measure(root_, clock_);
  {
    std::lock_guard lock(mutex_);
    latest_ = sample;
  }
  return std::max(min_interval_, std::chrono::milliseconds(kIdleFactor * sample.walk_ms));
}

}  // namespace live2
