#include "store/sqlite_database.h"

#include <utility>

#include "store/sqlite_schema.h"

namespace live2::store {
namespace {

// The writer's cache holds the indexes' upper levels and recent rows; readers need less (each GET touches a few
// pages) and there is one reader per concurrent request. Together they stay far below the 50 MB RSS budget.
constexpr ConnectionOptions kWriterOptions{.read_only = false, .cache_size_kib = 8'000};
constexpr ConnectionOptions kReaderOptions{.read_only = true, .cache_size_kib = 2'000};
constexpr size_t kMaxIdleReaders = 8;

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::filesystem::path& database_file) {
  Result<std::unique_ptr<SqliteConnection>> writer = SqliteConnection::open(database_file, kWriterOptions);
  if (!writer) return writer.error();
  if (Status migrated = migrate_schema(**writer); !migrated) return migrated.error();
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(std::move(writer).value(), database_file));
}

SqliteDatabase::SqliteDatabase(std::unique_ptr<SqliteConnection> writer, const std::filesystem::path& database_file)
    : writer_(std::move(writer)), readers_(database_file, kReaderOptions, kMaxIdleReaders), syncer_(database_file) {}

Status SqliteDatabase::ping() {
  Result<SqliteReaderPool::Lease> reader = readers_.acquire();
  if (!reader) return reader.error();
  Result<Statement> select = (*reader)->prepare("SELECT 1");
  if (!select) return select.error();
  Result<bool> row = select->step();
  if (!row) return row.error();
  return Status::success();
}

}  // namespace live2::store
