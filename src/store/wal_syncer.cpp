#include "store/wal_syncer.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <future>
#include <iterator>
#include <utility>

namespace live2::store {
namespace {

// A file's directory entry is durable only once its directory is synced: done once per -wal file that the syncer
// opens, as SQLite itself does for a journal it creates.
bool sync_directory(const std::filesystem::path& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

WalSyncer::WalSyncer(std::filesystem::path database_file)
    : wal_file_(database_file.string() + "-wal"), thread_([this] { run(); }) {}

WalSyncer::~WalSyncer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

void WalSyncer::committed() {
  {
    std::lock_guard lock(mutex_);
    ++committed_;
  }
  work_.notify_one();
}

void WalSyncer::when_durable(Done done) {
  {
    std::lock_guard lock(mutex_);
    if (committed_ > synced_) {
      waiters_.push_back({committed_, std::move(done)});
      return;
    }
  }
  done(true);
}

bool WalSyncer::wait_durable() {
  std::promise<bool> durable;
  std::future<bool> result = durable.get_future();
  when_durable([&durable](bool ok) { durable.set_value(ok); });
  return result.get();
}

int64_t WalSyncer::sync_count() const {
  std::lock_guard lock(mutex_);
  return sync_count_;
}

void WalSyncer::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [this] { return stopping_ || committed_ > synced_; });
    if (committed_ == synced_) break;  // stopping, nothing pending
    // Every commit counted so far has written its frames: one sync covers them all.
    const uint64_t target = committed_;
    lock.unlock();
    const bool durable = sync_wal();
    lock.lock();
    synced_ = target;
    ++sync_count_;
    auto still_waiting = std::partition(waiters_.begin(), waiters_.end(),
                                        [target](const Waiter& waiter) { return waiter.commit > target; });
    std::vector<Waiter> answered(std::make_move_iterator(still_waiting), std::make_move_iterator(waiters_.end()));
    waiters_.erase(still_waiting, waiters_.end());
    lock.unlock();
    for (Waiter& waiter : answered) waiter.done(durable);
    lock.lock();
  }
}

// The -wal file lives as long as a connection to the database is open (the writer's is, for the store's lifetime);
// should it have been replaced (unlinked, then created again), the new one is opened.
bool WalSyncer::sync_wal() {
  struct stat status {};
  if (wal_fd_ >= 0 && (::fstat(wal_fd_, &status) != 0 || status.st_nlink == 0)) {
    ::close(wal_fd_);
    wal_fd_ = -1;
  }
  if (wal_fd_ < 0) {
    wal_fd_ = ::open(wal_file_.c_str(), O_RDONLY | O_CLOEXEC);
    if (wal_fd_ < 0 || !sync_directory(wal_file_.parent_path())) {
      spdlog::error(R"({{"event":"wal_sync_failed","file":"{}","error":"{}"}})", wal_file_.string(),
                    std::strerror(errno));
      return false;
    }
  }
  if (::fdatasync(wal_fd_) != 0) {
    spdlog::error(R"({{"event":"wal_sync_failed","file":"{}","error":"{}"}})", wal_file_.string(),
                  std::strerror(errno));
    return false;
  }
  return true;
}

}  // namespace live2::store
