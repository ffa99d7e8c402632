#include "store/sqlite_connection.h"

#include <utility>

namespace live2::store {

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::filesystem::path& database_file,
                                                                 const ConnectionOptions& options) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread at a time, so SQLite's own per-connection mutex is redundant.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int code = sqlite3_open_v2(database_file.c_str(), &db, flags, nullptr);
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(db));
  if (code != SQLITE_OK) {
    return sqlite_error(db, code, "cannot open " + database_file.string());
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout_ms));

  // WAL lets readers proceed while one writer commits. synchronous=NORMAL writes a commit to the -wal file without
  // an fsync (durable across a process crash); SqliteDatabase's group commit (wal_syncer.h) then fsyncs the -wal
  // once for many commits, which a power loss needs. Checkpoints still sync at NORMAL.
  std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-" +
      std::to_string(options.cache_size_kib) + ";";
  if (options.read_only) pragmas += " PRAGMA query_only=ON;";
  if (Status configured = connection->execute(pragmas); !configured) return configured.error();
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

Result<Statement> SqliteConnection::prepare(const std::string& sql) {
  auto cached = statements_.find(sql);
  if (cached != statements_.end()) return Statement(cached->second);
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &statement, nullptr);
  if (code != SQLITE_OK) return sqlite_error(db_, code, "cannot prepare " + sql);
  statements_.emplace(sql, statement);
  return Statement(statement);
}

Status SqliteConnection::execute(const std::string& sql) {
  char* message = nullptr;
  const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (code == SQLITE_OK) return Status::success();
  std::string text = message != nullptr ? message : sqlite3_errstr(code);
  sqlite3_free(message);
  return Error::make(sqlite_error_code(db_, code), text + " (in: " + sql + ")");
}

Result<Transaction> Transaction::begin_immediate(SqliteConnection& connection) {
  if (Status begun = connection.execute("BEGIN IMMEDIATE"); !begun) return begun.error();
  return Transaction(connection);
}

Transaction::Transaction(Transaction&& other) noexcept : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  // A failed rollback leaves nothing better to do; the connection reports the error on its next use.
  if (connection_ != nullptr) (void)connection_->execute("ROLLBACK");
}

Status Transaction::commit() {
  SqliteConnection* connection = std::exchange(connection_, nullptr);
  Status committed = connection->execute("COMMIT");
  if (!committed) (void)connection->execute("ROLLBACK");
  return committed;
}

}  // namespace live2::store
