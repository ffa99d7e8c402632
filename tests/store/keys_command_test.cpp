// `live2 keys create|list|revoke`, run as the real binary against a temp data dir, cross-checked with the store.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/hashing.h"
#include "core/ids.h"
#include "store/sqlite_api_key_store.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace live2 {
namespace {

class KeysCommandTest : public ::testing::Test {
 protected:
  // `live2 keys` never creates a store (a server's first start does): the data dir holds one, as after a start.
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "data");
    ASSERT_TRUE(store::SqliteDatabase::open(dir_ / "data" / "live2.db").ok());
  }

  testing::CommandOutput live2(std::vector<std::string> arguments, const std::map<std::string, std::string>& env = {}) {
    arguments.insert(arguments.begin(), (testing::binary_dir() / "live2").string());
    return testing::run_command(arguments, env);
  }

  std::string data_dir() const { return (dir_ / "data").string(); }

  std::optional<ApiKeyRecord> stored_key(const std::string& key) {
    auto database = store::SqliteDatabase::open(dir_ / "data" / "live2.db");
    EXPECT_TRUE(database.ok());
    auto record = SqliteApiKeyStore(**database).find_api_key_by_hash(sha256_hex(key));
    EXPECT_TRUE(record.ok());
    return record.ok() ? *record : std::nullopt;
  }

  testing::TempDir dir_{"live2-keys"};
};

TEST_F(KeysCommandTest, CreatePrintsOnlyTheKeyAndStoresItsHash) {
  const testing::CommandOutput created =
      live2({"keys", "create", "--user", "alice", "--tier", "pro", "--admin", "--data-dir", data_dir()});
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  ASSERT_FALSE(created.stdout_text.empty());
  const std::string key = created.stdout_text.substr(0, created.stdout_text.size() - 1);
  EXPECT_EQ(created.stdout_text.back(), '\n');
  EXPECT_TRUE(looks_like_api_key(key)) << created.stdout_text;
  EXPECT_NE(created.stderr_text.find("key_"), std::string::npos) << created.stderr_text;
  EXPECT_NE(created.stderr_text.find("pro"), std::string::npos) << created.stderr_text;

  const std::optional<ApiKeyRecord> record = stored_key(key);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->user_id, "alice");
  EXPECT_EQ(record->tier, Tier::pro);
  EXPECT_TRUE(record->admin);
  EXPECT_TRUE(record->key_id.starts_with("key_"));
}

TEST_F(KeysCommandTest, ListShowsKeysButNeverTheKeyOrItsHash) {
  const std::string key = live2({"keys", "create", "--user", "bob", "--data-dir", data_dir()}).stdout_text;
  ASSERT_FALSE(key.empty());
  const testing::CommandOutput listed = live2({"keys", "list", "--data-dir", data_dir()});
  ASSERT_EQ(listed.exit_code, 0) << listed.stderr_text;
  const std::optional<ApiKeyRecord> record = stored_key(key.substr(0, key.size() - 1));
  ASSERT_TRUE(record.has_value());
  EXPECT_NE(listed.stdout_text.find(record->key_id), std::string::npos) << listed.stdout_text;
  EXPECT_NE(listed.stdout_text.find("bob"), std::string::npos);
  EXPECT_NE(listed.stdout_text.find("hobby"), std::string::npos) << "hobby is the default tier";
  EXPECT_EQ(listed.stdout_text.find(key.substr(0, key.size() - 1)), std::string::npos);
  EXPECT_EQ(listed.stdout_text.find(record->key_hash), std::string::npos);
}

TEST_F(KeysCommandTest, RevokeMarksTheKeyAndRefusesUnknownIds) {
  const std::string key = live2({"keys", "create", "--user", "carol", "--data-dir", data_dir()}).stdout_text;
  const std::optional<ApiKeyRecord> record = stored_key(key.substr(0, key.size() - 1));
  ASSERT_TRUE(record.has_value());

  const testing::CommandOutput revoked = live2({"keys", "revoke", record->key_id, "--data-dir", data_dir()});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.stderr_text;
  EXPECT_TRUE(stored_key(key.substr(0, key.size() - 1))->revoked_at_ms.has_value());

  const testing::CommandOutput unknown = live2({"keys", "revoke", "key_nosuchkey", "--data-dir", data_dir()});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.stderr_text.find("key_nosuchkey"), std::string::npos) << unknown.stderr_text;
}

TEST_F(KeysCommandTest, UnknownTierIsRefusedAndCreatesNothing) {
  const testing::CommandOutput refused =
      live2({"keys", "create", "--user", "dave", "--tier", "gold", "--data-dir", data_dir()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(refused.stdout_text.empty());
  EXPECT_NE(refused.stderr_text.find("gold"), std::string::npos) << refused.stderr_text;
}

TEST_F(KeysCommandTest, DataDirComesFromTheSettingsLikeServe) {
  const testing::CommandOutput created =
      live2({"keys", "create", "--user", "erin"}, {{"LIVE2_DATA_DIR", data_dir()}});
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  EXPECT_TRUE(stored_key(created.stdout_text.substr(0, created.stdout_text.size() - 1)).has_value());
}

}  // namespace
}  // namespace live2
