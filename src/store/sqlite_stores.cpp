#include "store/sqlite_stores.h"

#include <utility>

namespace live2 {

Result<std::unique_ptr<SqliteStores>> SqliteStores::open(const std::filesystem::path& database_file,
                                                         const Clock& clock) {
  Result<std::unique_ptr<store::SqliteDatabase>> database = store::SqliteDatabase::open(database_file);
  if (!database) return database.error();
  return std::unique_ptr<SqliteStores>(new SqliteStores(std::move(database).value(), clock));
}

SqliteStores::SqliteStores(std::unique_ptr<store::SqliteDatabase> database, const Clock& clock)
    : database_(std::move(database)), outbox_(*database_), api_keys_(*database_), jobs_(*database_, outbox_, clock) {}

}  // namespace live2
