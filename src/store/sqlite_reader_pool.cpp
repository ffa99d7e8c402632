#include "store/sqlite_reader_pool.h"

#include <utility>

namespace live2::store {

SqliteReaderPool::SqliteReaderPool(std::filesystem::path database_file, ConnectionOptions options, size_t max_idle)
    : database_file_(std::move(database_file)), options_(options), max_idle_(max_idle) {}

Result<SqliteReaderPool::Lease> SqliteReaderPool::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<SqliteConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(connection));
    }
  }
  // Opened outside the lock: other readers keep leasing idle connections meanwhile.
  Result<std::unique_ptr<SqliteConnection>> opened = SqliteConnection::open(database_file_, options_);
  if (!opened) return opened.error();
  return Lease(*this, std::move(opened).value());
}

void SqliteReaderPool::give_back(std::unique_ptr<SqliteConnection> connection) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace live2::store
