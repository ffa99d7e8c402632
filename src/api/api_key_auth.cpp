#include "api/api_key_auth.h"

#include <strings.h>

#include "base/hashing.h"
#include "core/ids.h"

namespace live2::api {
namespace {

Error unauthorized(std::string message) { return Error::make(ErrorCode::unauthorized, std::move(message)); }

}  // namespace

std::optional<std::string_view> presented_api_key(const Request& request) {
  if (auto authorization = request.header("authorization")) {
    // RFC 9110 11.1: the scheme is case-insensitive, and one or more spaces separate it from the credentials.
    constexpr std::string_view kBearer = "bearer";
    std::string_view value = *authorization;
    if (value.size() > kBearer.size() && strncasecmp(value.data(), kBearer.data(), kBearer.size()) == 0 &&
        value[kBearer.size()] == ' ') {
      value.remove_prefix(kBearer.size());
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      return value;
    }
    return std::string_view();  // some other scheme: presented, but not a key we accept
  }
  return request.header("x-api-key");
}

ApiKeyAuthenticator::ApiKeyAuthenticator(ApiKeyStore& store, const Clock& clock, int64_t cache_ttl_ms)
    : store_(store), clock_(clock), cache_ttl_ms_(cache_ttl_ms) {}

Result<Principal> ApiKeyAuthenticator::authenticate(const Request& request, bool cached_only) {
  const auto key = presented_api_key(request);
  if (!key) return unauthorized("an API key is required (Authorization: Bearer <key> or X-API-Key)");
  if (!looks_like_api_key(*key)) return unauthorized("the API key is not valid");
  const std::string key_hash = sha256_hex(*key);
  auto record = lookup(key_hash, cached_only);
  if (!record) return record.error();
  // The map lookup is by hash, which reveals nothing about the key; the final comparison is constant-time anyway.
  if (!*record || !constant_time_equals((*record)->key_hash, key_hash)) {
    return unauthorized("the API key is not valid");
  }
  if ((*record)->revoked_at_ms) return unauthorized("the API key has been revoked");
  const ApiKeyRecord& found = **record;
  return Principal{found.user_id, found.tier, found.admin, found.key_id};
}

Result<std::optional<ApiKeyRecord>> ApiKeyAuthenticator::lookup(const std::string& key_hash, bool cached_only) {
  const int64_t now_ms = clock_.now_ms();
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key_hash);
    if (it != cache_.end() && now_ms - it->second.fetched_at_ms < cache_ttl_ms_) {
      return std::optional<ApiKeyRecord>(it->second.record);
    }
  }
  if (cached_only) return std::optional<ApiKeyRecord>();
  auto fetched = store_.find_api_key_by_hash(key_hash);
  if (!fetched) return Error::make(ErrorCode::unavailable, "the key store is not available");
  std::lock_guard lock(mutex_);
  if (*fetched) {
    if (cache_.size() >= kMaxCachedKeys) cache_.clear();
    cache_[key_hash] = CachedKey{**fetched, now_ms};
  } else {
    cache_.erase(key_hash);
  }
  return fetched;
}

}  // namespace live2::api
