// SqliteConnection: one open SQLite connection configured the way live2 uses it (WAL, synchronous NORMAL with group
// commit on top: wal_syncer.h; foreign keys, busy timeout, a bounded page cache), with its prepared statements cached for its lifetime.
// Transaction: RAII BEGIN IMMEDIATE ... COMMIT, rolled back when not committed.
// Not thread-safe: one thread uses a connection at a time (SqliteDatabase's writer lock or reader pool ensure that).
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"
#include "store/sqlite_statement.h"

namespace live2::store {

struct ConnectionOptions {
  bool read_only = false;           // PRAGMA query_only: a reader cannot write by mistake
  int64_t cache_size_kib = 4'000;   // page cache per connection; the OS page cache holds the rest of the file
  int64_t busy_timeout_ms = 5'000;  // wait this long for another process's write lock before failing
};

class SqliteConnection {
 public:
  static Result<std::unique_ptr<SqliteConnection>> open(const std::filesystem::path& database_file,
                                                        const ConnectionOptions& options);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // The cached prepared statement for `sql` (prepared on first use). Only one Statement per SQL text may be alive.
  Result<Statement> prepare(const std::string& sql);
  // Runs SQL text without results and without caching (schema scripts, pragmas, transaction control).
  Status execute(const std::string& sql);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

class Transaction {
 public:
  // BEGIN IMMEDIATE takes the write lock at once, so read-check-write sequences cannot interleave with other writers
  // (other threads are kept out by the store's mutex; other processes by SQLite's lock and busy timeout).
  static Result<Transaction> begin_immediate(SqliteConnection& connection);
  Transaction(Transaction&& other) noexcept;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  Status commit();

 private:
  explicit Transaction(SqliteConnection& connection) : connection_(&connection) {}

  SqliteConnection* connection_;  // null once committed, rolled back or moved from
};

}  // namespace live2::store
