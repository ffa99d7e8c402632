// Statement: RAII use of one prepared SQLite statement, so queries read as bind -> step -> read columns (or
// read_rows / read_optional_row, which turn every row or the first one into a value).
// The sqlite3_stmt is borrowed from its connection's cache (sqlite_connection.h); the Statement resets it and clears
// its bindings when it goes out of scope, ready for the next use. Parameters are bound by name (":job_id").
// Not thread-safe: a Statement is used by the one thread that holds its connection.
#pragma once

#include <sqlite3.h>

#include <cerrno>
#include <concepts>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace live2::store {

// The error code for a failed SQLite call: `conflict` for a constraint violation, `storage_full` when the disk (or
// the database's size limit) is full, which passes once space returns, else `unavailable` (the store cannot answer).
inline ErrorCode sqlite_error_code(sqlite3* db, int result_code) {
  const int primary = result_code & 0xff;
  if (primary == SQLITE_CONSTRAINT) return ErrorCode::conflict;
  // SQLite reports ENOSPC as SQLITE_FULL on most paths, but as an I/O error on a few (growing the WAL index).
  if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && db != nullptr && sqlite3_system_errno(db) == ENOSPC)) {
    return ErrorCode::storage_full;
  }
  return ErrorCode::unavailable;
}

inline Error sqlite_error(sqlite3* db, int result_code, std::string_view context) {
  return Error::make(sqlite_error_code(db, result_code),
                     std::string(context) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result_code)));
}

class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  Statement(Statement&& other) noexcept : statement_(std::exchange(other.statement_, nullptr)) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (statement_ != nullptr) {
      sqlite3_reset(statement_);
      sqlite3_clear_bindings(statement_);
    }
  }

  template <std::integral T>
  Statement& bind(const char* name, T value) {
    sqlite3_bind_int64(statement_, index_of(name), static_cast<sqlite3_int64>(value));
    return *this;
  }
  template <std::floating_point T>
  Statement& bind(const char* name, T value) {
    sqlite3_bind_double(statement_, index_of(name), static_cast<double>(value));
    return *this;
  }
  Statement& bind(const char* name, std::string_view value) {
    // SQLITE_TRANSIENT copies the text, so binding a temporary is safe.
    sqlite3_bind_text(statement_, index_of(name), value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(const char* name, const char* value) { return bind(name, std::string_view(value)); }
  Statement& bind(const char* name, const std::string& value) { return bind(name, std::string_view(value)); }
  template <typename T>
  Statement& bind(const char* name, const std::optional<T>& value) {
    if (value) return bind(name, *value);
    sqlite3_bind_null(statement_, index_of(name));
    return *this;
  }

  // True when a row is available, false when the statement has finished.
  Result<bool> step() {
    const int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    return sqlite_error(sqlite3_db_handle(statement_), code, sqlite3_sql(statement_));
  }

  // Runs a statement that returns no rows (INSERT, UPDATE, ...).
  Status run() {
    Result<bool> stepped = step();
    if (!stepped) return stepped.error();
    return Status::success();
  }

  bool is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
  double real(int column) const { return sqlite3_column_double(statement_, column); }
  std::string text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    if (data == nullptr) return std::string();
    return std::string(data, static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
  }
  std::optional<int64_t> optional_integer(int column) const {
    return is_null(column) ? std::nullopt : std::optional<int64_t>(integer(column));
  }
  std::optional<double> optional_real(int column) const {
    return is_null(column) ? std::nullopt : std::optional<double>(real(column));
  }
  std::optional<std::string> optional_text(int column) const {
    return is_null(column) ? std::nullopt : std::optional<std::string>(text(column));
  }

  // Rows changed by the last run() on this statement's connection.
  int64_t changes() const { return sqlite3_changes64(sqlite3_db_handle(statement_)); }

 private:
  int index_of(const char* name) const {
    const int index = sqlite3_bind_parameter_index(statement_, name);
    // A parameter the SQL does not have is a programming error, not an expected failure.
    if (index == 0) throw std::logic_error(std::string("no SQL parameter ") + name + " in " + sqlite3_sql(statement_));
    return index;
  }

  sqlite3_stmt* statement_;
};

// Every remaining row of `statement`, each made into a T by `read_row`, which returns T or, when a row can be
// corrupt, Result<T>.
template <typename T, typename ReadRow>
Result<std::vector<T>> read_rows(Statement& statement, ReadRow read_row) {
  std::vector<T> rows;
  while (true) {
    Result<bool> has_row = statement.step();
    if (!has_row) return has_row.error();
    if (!*has_row) return rows;
    Result<T> row = read_row(statement);
    if (!row) return row.error();
    rows.push_back(std::move(row).value());
  }
}

// The first row of `statement` made into a T by `read_row`, or nullopt when it has none.
template <typename T, typename ReadRow>
Result<std::optional<T>> read_optional_row(Statement& statement, ReadRow read_row) {
  Result<bool> has_row = statement.step();
  if (!has_row) return has_row.error();
  if (!*has_row) return std::optional<T>();
  Result<T> row = read_row(statement);
  if (!row) return row.error();
  return std::optional<T>(std::move(row).value());
}

}  // namespace live2::store
