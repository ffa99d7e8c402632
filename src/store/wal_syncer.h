// WalSyncer: group commit for a WAL-mode SQLite file whose writer commits with synchronous=NORMAL, which writes each
// commit's frames to the -wal file without an fsync. The writer calls committed() after every write transaction;
// one thread then fdatasyncs the -wal file for all commits made since its last sync, so commits that arrive while a
// sync runs share the next one (docs/storage.md, "Connections and durability"). when_durable(done) calls done(true) once every commit
// made before the call is on disk, done(false) when the sync failed. Every commit is synced within about one fsync
// time whether or not anyone waits. The destructor syncs what is pending and answers every waiter. Thread-safe;
// `done` runs on the syncer's thread, or on the caller's when nothing is pending, and must be quick.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace live2::store {

class WalSyncer {
 public:
  using Done = std::function<void(bool durable)>;

  explicit WalSyncer(std::filesystem::path database_file);
  ~WalSyncer();
  WalSyncer(const WalSyncer&) = delete;
  WalSyncer& operator=(const WalSyncer&) = delete;

  void committed();
  void when_durable(Done done);
  // Blocks until every commit made before the call is on disk; false when the sync failed.
  bool wait_durable();
  // fdatasync calls made so far (/metrics): with concurrent writers, fewer than their commits.
  int64_t sync_count() const;

 private:
  struct Waiter {
    uint64_t commit = 0;  // durable once synced_ reaches it
    Done done;
  };

  void run();
  bool sync_wal();

  const std::filesystem::path wal_file_;
  int wal_fd_ = -1;  // used by the syncer thread only

  mutable std::mutex mutex_;
  std::condition_variable work_;
  uint64_t committed_ = 0;
  uint64_t synced_ = 0;
  int64_t sync_count_ = 0;
  std::vector<Waiter> waiters_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace live2::store
