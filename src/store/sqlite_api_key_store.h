// SqliteApiKeyStore: the ApiKeyStore in the `api_keys` table of a SqliteDatabase (docs/storage.md). It caches
// nothing, so any number of processes may use it on one file at once: `live2 keys` opens only this store on the
// database `live2 serve` is using. Thread-safe.
#pragma once

#include "store/api_key_store.h"
#include "store/sqlite_database.h"

namespace live2 {

class SqliteApiKeyStore final : public ApiKeyStore {
 public:
  // `database` must outlive the store.
  explicit SqliteApiKeyStore(store::SqliteDatabase& database) : database_(database) {}

  Status create_api_key(const ApiKeyRecord& record) override;
  Result<std::optional<ApiKeyRecord>> find_api_key_by_hash(const std::string& key_hash) override;
  Result<std::vector<ApiKeyRecord>> list_api_keys() override;
  Status revoke_api_key(const std::string& key_id, int64_t now_ms) override;

 private:
  store::SqliteDatabase& database_;
};

}  // namespace live2
