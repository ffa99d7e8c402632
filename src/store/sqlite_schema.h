// The SQLite schema of the stores (jobs, API keys, webhook outbox) and its migrations. PRAGMA user_version holds the
// number of migrations applied; opening a database applies the missing ones in order, each in its own transaction. A
// database written by a newer live2 (higher user_version) is refused rather than misread.
#pragma once

#include "base/result.h"
#include "store/sqlite_connection.h"

namespace live2::store {

// The user_version a fully migrated database has.
int latest_schema_version();

Status migrate_schema(SqliteConnection& connection);

}  // namespace live2::store
