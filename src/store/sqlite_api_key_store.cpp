#include "store/sqlite_api_key_store.h"

#include <string>

namespace live2 {
namespace {

using store::Statement;

constexpr const char* kApiKeyColumns = "key_id, user_id, tier, admin, key_hash, created_at_ms, revoked_at_ms";

Result<ApiKeyRecord> read_api_key(const Statement& row) {
  ApiKeyRecord record;
  record.key_id = row.text(0);
  record.user_id = row.text(1);
  std::optional<Tier> tier = parse_tier(row.text(2));
  if (!tier)
    return Error::make(ErrorCode::unavailable, "API key " + record.key_id + " has an unknown tier in the database");
  record.tier = *tier;
  record.admin = row.integer(3) != 0;
  record.key_hash = row.text(4);
  record.created_at_ms = row.integer(5);
  record.revoked_at_ms = row.optional_integer(6);
  return record;
}

}  // namespace

Status SqliteApiKeyStore::create_api_key(const ApiKeyRecord& record) {
  store::SqliteDatabase::Writer writer(database_);
  Result<Statement> insert = writer->prepare(
      "INSERT INTO api_keys (key_id, user_id, tier, admin, key_hash, created_at_ms, revoked_at_ms) "
      "VALUES (:key_id, :user_id, :tier, :admin, :key_hash, :created_at_ms, :revoked_at_ms)");
  if (!insert) return insert.error();
  insert->bind(":key_id", record.key_id)
      .bind(":user_id", record.user_id)
      .bind(":tier", to_string(record.tier))
      .bind(":admin", record.admin)
      .bind(":key_hash", record.key_hash)
      .bind(":created_at_ms", record.created_at_ms)
      .bind(":revoked_at_ms", record.revoked_at_ms);
  return insert->run();
}

Result<std::optional<ApiKeyRecord>> SqliteApiKeyStore::find_api_key_by_hash(const std::string& key_hash) {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select =
      (*reader)->prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys WHERE key_hash = :key_hash");
  if (!select) return select.error();
  select->bind(":key_hash", key_hash);
  return store::read_optional_row<ApiKeyRecord>(*select, read_api_key);
}

Result<std::vector<ApiKeyRecord>> SqliteApiKeyStore::list_api_keys() {
  Result<store::SqliteReaderPool::Lease> reader = database_.reader();
  if (!reader) return reader.error();
  Result<Statement> select =
      (*reader)->prepare(std::string("SELECT ") + kApiKeyColumns + " FROM api_keys ORDER BY created_at_ms, key_id");
  if (!select) return select.error();
  return store::read_rows<ApiKeyRecord>(*select, read_api_key);
}

Status SqliteApiKeyStore::revoke_api_key(const std::string& key_id, int64_t now_ms) {
  store::SqliteDatabase::Writer writer(database_);
  // A second revoke keeps the first revocation time.
  Result<Statement> update = writer->prepare(
      "UPDATE api_keys SET revoked_at_ms = coalesce(revoked_at_ms, :now_ms) WHERE key_id = :key_id");
  if (!update) return update.error();
  update->bind(":now_ms", now_ms).bind(":key_id", key_id);
  if (Status updated = update->run(); !updated) return updated;
  if (update->changes() == 0) return Error::make(ErrorCode::not_found, "no API key " + key_id);
  return Status::success();
}

}  // namespace live2
