// ApiKeyStore: the durable record of API keys. Only a key's SHA-256 is stored, never the key; a key is found by that
// hash, and revoking keeps the record (with its revocation time) so listings still show it.
// Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "core/tiers.h"

namespace live2 {

struct ApiKeyRecord {
  std::string key_id;            // "key_..." public identifier, safe to print and log
  std::string user_id;
  Tier tier = Tier::hobby;
  bool admin = false;
  std::string key_hash;          // sha256 hex of the key; the key itself is never stored
  int64_t created_at_ms = 0;
  std::optional<int64_t> revoked_at_ms;
};

class ApiKeyStore {
 public:
  virtual ~ApiKeyStore() = default;

  // `conflict` when a key with the same id or hash exists.
  virtual Status create_api_key(const ApiKeyRecord& record) = 0;
  virtual Result<std::optional<ApiKeyRecord>> find_api_key_by_hash(const std::string& key_hash) = 0;
  // Oldest first.
  virtual Result<std::vector<ApiKeyRecord>> list_api_keys() = 0;
  // `not_found` when no key has that id; revoking twice is not an error (the first revocation time stays).
  virtual Status revoke_api_key(const std::string& key_id, int64_t now_ms) = 0;
};

}  // namespace live2
