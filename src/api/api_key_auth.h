// ApiKeyAuthenticator: turns `Authorization: Bearer <key>` or `X-API-Key: <key>` into a Principal.
// A key that cannot be one (wrong prefix, length or alphabet) is refused without a lookup. Otherwise the store is
// asked by the key's SHA-256 (ApiKeyStore::find_api_key_by_hash); found keys are cached by hash for cache_ttl_ms so a
// busy client does not cost a database read per request, which bounds how long a revoked key keeps working. Unknown
// keys are not cached (a flood of random keys cannot grow the cache); the caller limits how often one client may
// fail (ApiService, per address) and then asks with `cached_only`. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/api_call.h"
#include "api/http_message.h"
#include "base/clock.h"
#include "base/result.h"
#include "store/api_key_store.h"

namespace live2::api {

class ApiKeyAuthenticator {
 public:
  static constexpr int64_t kDefaultCacheTtlMs = 2'000;
  static constexpr size_t kMaxCachedKeys = 10'000;

  ApiKeyAuthenticator(ApiKeyStore& store, const Clock& clock, int64_t cache_ttl_ms = kDefaultCacheTtlMs);

  // Errors: `unauthorized` (no key, malformed, unknown or revoked; with `cached_only` also a key not in the cache,
  // for which the store is not asked), `unavailable` (the store failed).
  Result<Principal> authenticate(const Request& request, bool cached_only = false);

 private:
  struct CachedKey {
    ApiKeyRecord record;
    int64_t fetched_at_ms;
  };

  Result<std::optional<ApiKeyRecord>> lookup(const std::string& key_hash, bool cached_only);

  ApiKeyStore& store_;
  const Clock& clock_;
  const int64_t cache_ttl_ms_;
  std::mutex mutex_;
  std::unordered_map<std::string, CachedKey> cache_;
};

// The key a request presents, from either header; nullopt when it presents none.
std::optional<std::string_view> presented_api_key(const Request& request);

}  // namespace live2::api
