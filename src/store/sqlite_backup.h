// backup_database: an online copy of a live2 database while `live2 serve` keeps writing it (`live2 backup`,
// docs/storage.md "Backup and restore"). VACUUM INTO copies one read snapshot of the WAL
// database, so the copy is the database as of one instant (the moment its read transaction began) and writers are
// never blocked: under WAL a reader holds no lock a writer waits for; checkpoints only stop short of the snapshot
// until the copy ends. The copy is written to a private temporary file (mode 0600) beside `destination`, synced,
// checked (PRAGMA integrity_check) and renamed over `destination`, so `destination` is never a half-written file.
// Errors: `not_found` (no database), `io_error` (the destination), or the store's SQLite codes.
#pragma once

#include <cstdint>
#include <filesystem>

#include "base/result.h"

namespace live2::store {

struct BackupSummary {
  int64_t bytes = 0;
  int64_t jobs = 0;  // rows of the jobs table in the copy
};

Result<BackupSummary> backup_database(const std::filesystem::path& database_file,
                                      const std::filesystem::path& destination);

}  // namespace live2::store
