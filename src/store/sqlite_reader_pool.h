// SqliteReaderPool: read-only connections to one database, leased one per concurrent reader so that reads run in
// parallel with each other and with the writer (WAL). A connection is opened on demand when none is idle; at most
// `max_idle` are kept open afterwards, which bounds the page caches' memory. Thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "store/sqlite_connection.h"

namespace live2::store {

class SqliteReaderPool {
 public:
  // Returns its connection to the pool when destroyed.
  class Lease {
   public:
    Lease(SqliteReaderPool& pool, std::unique_ptr<SqliteConnection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (connection_) pool_->give_back(std::move(connection_));
    }
    SqliteConnection& operator*() { return *connection_; }
    SqliteConnection* operator->() { return connection_.get(); }

   private:
    SqliteReaderPool* pool_;
    std::unique_ptr<SqliteConnection> connection_;
  };

  SqliteReaderPool(std::filesystem::path database_file, ConnectionOptions options, size_t max_idle);

  Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<SqliteConnection> connection);

  const std::filesystem::path database_file_;
  const ConnectionOptions options_;
  const size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

}  // namespace live2::store
