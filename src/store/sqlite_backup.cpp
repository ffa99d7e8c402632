#include "store/sqlite_backup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "store/sqlite_connection.h"

namespace live2::store {
namespace {

namespace fs = std::filesystem;

Error io_error(const std::string& what, const fs::path& path) {
  return Error::make(ErrorCode::io_error, what + " " + path.string() + ": " + std::strerror(errno));
}

Status sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open", path);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return io_error("cannot sync", path);
  return Status::success();
}

// SQLite creates VACUUM INTO's file with the process's umask; a private umask makes it 0600 from its first byte
// (it holds API key hashes and every job's parameters).
class PrivateUmask {
 public:
  PrivateUmask() : previous_(::umask(077)) {}
  ~PrivateUmask() { ::umask(previous_); }
  PrivateUmask(const PrivateUmask&) = delete;
  PrivateUmask& operator=(const PrivateUmask&) = delete;

 private:
  mode_t previous_;
};

// One text cell from a plain read-only handle: opening the copy as a store connection would switch it to WAL and
// leave -wal and -shm files beside it.
Result<std::string> single_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  int code = sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  if (code == SQLITE_OK) code = sqlite3_step(statement);
  std::string text;
  if (code == SQLITE_ROW) {
    const auto* cell = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    text = cell != nullptr ? cell : "";
  }
  sqlite3_finalize(statement);
  if (code != SQLITE_ROW) return sqlite_error(db, code, std::string("cannot run ") + sql);
  return text;
}

// The copy, checked as a restore would open it.
Result<BackupSummary> check_copy(const fs::path& copy) {
  sqlite3* db = nullptr;
  const int code = sqlite3_open_v2(copy.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> closer(db, &sqlite3_close);
  if (code != SQLITE_OK) return sqlite_error(db, code, "cannot open the copy " + copy.string());
  Result<std::string> integrity = single_text(db, "PRAGMA integrity_check");
  if (!integrity) return integrity.error();
  if (*integrity != "ok") return Error::make(ErrorCode::internal, "the copy fails its integrity check: " + *integrity);
  Result<std::string> jobs = single_text(db, "SELECT count(*) FROM jobs");
  if (!jobs) return jobs.error();
  return BackupSummary{0, std::stoll(*jobs)};
}

}  // namespace

Result<BackupSummary> backup_database(const fs::path& database_file, const fs::path& destination) {
  std::error_code ec;
  if (!fs::is_regular_file(database_file, ec)) {
    return Error::make(ErrorCode::not_found, "no database at " + database_file.string());
  }
  const fs::path directory = destination.has_parent_path() ? destination.parent_path() : fs::path(".");
  fs::path partial = directory / destination.filename();
  partial += ".partial-" + std::to_string(getpid());
  fs::remove(partial, ec);

  // Not query_only: SQLite counts VACUUM INTO as a write, although it only reads this database.
  Result<std::unique_ptr<SqliteConnection>> source =
      SqliteConnection::open(database_file, ConnectionOptions{.read_only = false, .cache_size_kib = 2'000});
  if (!source) return source.error();
  Result<BackupSummary> summary = [&]() -> Result<BackupSummary> {
    {
      PrivateUmask private_files;
      Result<Statement> vacuum = (*source)->prepare("VACUUM INTO :destination");
      if (!vacuum) return vacuum.error();
      vacuum->bind(":destination", partial.string());
      if (Status copied = vacuum->run(); !copied) return copied.error();
    }
    if (::chmod(partial.c_str(), 0600) != 0) return io_error("cannot make private", partial);
    if (Status synced = sync_path(partial, O_RDONLY); !synced) return synced.error();
    Result<BackupSummary> checked = check_copy(partial);
    if (!checked) return checked.error();
    checked->bytes = static_cast<int64_t>(fs::file_size(partial, ec));
    if (::rename(partial.c_str(), destination.c_str()) != 0) return io_error("cannot rename the copy to", destination);
    if (Status synced = sync_path(directory, O_RDONLY | O_DIRECTORY); !synced) return synced.error();
    return checked;
  }();
  if (!summary) fs::remove(partial, ec);
  return summary;
}

}  // namespace live2::store
