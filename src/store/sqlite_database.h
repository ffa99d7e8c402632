// SqliteDatabase: one SQLite file opened for live2's stores (sqlite_job_store.h, sqlite_api_key_store.h,
// sqlite_webhook_outbox.h), which share it: the schema is brought up to date once on open (sqlite_schema.h); writes
// go through one writer connection behind a mutex (Writer), each in a BEGIN IMMEDIATE transaction, which also
// serialises them against other processes using the same file (e.g. `live2 keys create` while `live2 serve` runs);
// reads lease a connection from a pool and run in parallel under WAL. Commits are made durable by group commit
// (wal_syncer.h): when_durable() answers once every commit before it is on disk. The stores hold a reference: the
// database must outlive them. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <utility>

#include "base/result.h"
#include "store/sqlite_connection.h"
#include "store/sqlite_reader_pool.h"
#include "store/wal_syncer.h"

namespace live2::store {

class SqliteDatabase {
 public:
  // The writer connection, held exclusively for this object's lifetime. Whoever holds one may write; whoever needs a
  // Writer& proves that the caller holds the lock.
  class Writer {
   public:
    explicit Writer(SqliteDatabase& database)
        : lock_(database.writer_mutex_), connection_(*database.writer_), syncer_(database.syncer_) {}
    // Whatever the holder committed goes to the next group sync (a holder that wrote nothing costs one sync at most).
    ~Writer() { syncer_.committed(); }
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    SqliteConnection& operator*() { return connection_; }
    SqliteConnection* operator->() { return &connection_; }

   private:
    std::lock_guard<std::mutex> lock_;
    SqliteConnection& connection_;
    WalSyncer& syncer_;
  };

  // Creates the file if needed and brings its schema up to date.
  static Result<std::unique_ptr<SqliteDatabase>> open(const std::filesystem::path& database_file);
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Result<SqliteReaderPool::Lease> reader() { return readers_.acquire(); }
  // A cheap round trip through a reader connection (/ready).
  Status ping();
  // `done(true)` once every commit made before the call is on disk (false: the sync failed; see wal_syncer.h).
  void when_durable(WalSyncer::Done done) { syncer_.when_durable(std::move(done)); }
  bool wait_durable() { return syncer_.wait_durable(); }
  int64_t wal_sync_count() const { return syncer_.sync_count(); }

 private:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer, const std::filesystem::path& database_file);

  std::mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  SqliteReaderPool readers_;
  WalSyncer syncer_;  // after the connections: its last sync runs while the -wal file still exists
};

}  // namespace live2::store
