// API keys in SqliteApiKeyStore: created, found by hash, listed, revoked; only the hash is stored.
#include <gtest/gtest.h>

#include "base/hashing.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

class ApiKeysTest : public StoreTest {
 protected:
  ApiKeyRecord record(const std::string& key_id, const std::string& user_id, const std::string& key) {
    return ApiKeyRecord{key_id, user_id, Tier::research, false, sha256_hex(key), clock_.now_ms(), std::nullopt};
  }
};

TEST_F(ApiKeysTest, CreatedKeyIsFoundByItsHash) {
  auto stores = open_stores();
  SqliteApiKeyStore& store = stores->api_keys();
  ApiKeyRecord admin = record("key_1", "alice", "sk_live_a");
  admin.tier = Tier::enterprise;
  admin.admin = true;
  ASSERT_TRUE(store.create_api_key(admin).ok());

  Result<std::optional<ApiKeyRecord>> found = store.find_api_key_by_hash(sha256_hex("sk_live_a"));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->key_id, "key_1");
  EXPECT_EQ((*found)->user_id, "alice");
  EXPECT_EQ((*found)->tier, Tier::enterprise);
  EXPECT_TRUE((*found)->admin);
  EXPECT_EQ((*found)->created_at_ms, admin.created_at_ms);
  EXPECT_FALSE((*found)->revoked_at_ms);

  Result<std::optional<ApiKeyRecord>> unknown = store.find_api_key_by_hash(sha256_hex("sk_live_b"));
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(ApiKeysTest, DuplicateIdOrHashIsAConflict) {
  auto stores = open_stores();
  SqliteApiKeyStore& store = stores->api_keys();
  ASSERT_TRUE(store.create_api_key(record("key_1", "alice", "sk_live_a")).ok());
  Status same_hash = store.create_api_key(record("key_2", "bob", "sk_live_a"));
  ASSERT_FALSE(same_hash.ok());
  EXPECT_EQ(same_hash.error().code, ErrorCode::conflict);
  Status same_id = store.create_api_key(record("key_1", "bob", "sk_live_b"));
  ASSERT_FALSE(same_id.ok());
  EXPECT_EQ(same_id.error().code, ErrorCode::conflict);
}

TEST_F(ApiKeysTest, ListsKeysInCreationOrder) {
  auto stores = open_stores();
  SqliteApiKeyStore& store = stores->api_keys();
  ASSERT_TRUE(store.create_api_key(record("key_b", "alice", "sk_live_a")).ok());
  clock_.advance_ms(1);
  ASSERT_TRUE(store.create_api_key(record("key_a", "bob", "sk_live_b")).ok());
  Result<std::vector<ApiKeyRecord>> keys = store.list_api_keys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].key_id, "key_b");
  EXPECT_EQ((*keys)[1].key_id, "key_a");
}

TEST_F(ApiKeysTest, RevokingKeepsTheFirstRevocationTime) {
  auto stores = open_stores();
  SqliteApiKeyStore& store = stores->api_keys();
  ASSERT_TRUE(store.create_api_key(record("key_1", "alice", "sk_live_a")).ok());
  const int64_t revoked_ms = clock_.now_ms() + 5;
  ASSERT_TRUE(store.revoke_api_key("key_1", revoked_ms).ok());
  ASSERT_TRUE(store.revoke_api_key("key_1", revoked_ms + 1000).ok()) << "revoking twice is not an error";
  EXPECT_EQ((*store.find_api_key_by_hash(sha256_hex("sk_live_a")))->revoked_at_ms, revoked_ms);

  Status unknown = store.revoke_api_key("key_missing", revoked_ms);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
}

TEST_F(ApiKeysTest, KeysSurviveReopening) {
  {
    auto stores = open_stores();
    SqliteApiKeyStore& store = stores->api_keys();
    ASSERT_TRUE(store.create_api_key(record("key_1", "alice", "sk_live_a")).ok());
  }
  auto reopened = open_stores();
  Result<std::optional<ApiKeyRecord>> found = reopened->api_keys().find_api_key_by_hash(sha256_hex("sk_live_a"));
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->user_id, "alice");
}

}  // namespace
}  // namespace live2
