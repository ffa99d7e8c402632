// `live2 keys create|list|revoke`: API key administration straight on the database that `live2 serve` uses
// ({data_dir}/live2.db, with the same settings), safe while the server runs (SQLite serialises the writers). It opens
// only the API key store: jobs are written by the server alone. It refuses to work without that database rather than
// create one the server would never read.
// `create` prints only the new key on stdout, so scripts can capture it; everything else goes to stderr.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/hashing.h"
#include "base/time_format.h"
#include "commands.h"
#include "core/ids.h"
#include "settings_loader.h"
#include "store/sqlite_api_key_store.h"

namespace live2::app {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& message) {
  std::cerr << "live2 keys: " << message << "\n";
  throw CLI::RuntimeError(1);
}

// The database `live2 serve` made, found the way serve finds it (--data-dir, else LIVE2_DATA_DIR from the environment
// or .env, else ./data). Never creates one: a key in a store the server does not read would get 401 everywhere.
std::unique_ptr<store::SqliteDatabase> open_database(const std::string& data_dir_flag) {
  const Settings settings = load_settings({{"LIVE2_DATA_DIR", data_dir_flag}});
  std::error_code error;
  const fs::path database_path = fs::absolute(fs::path(settings.data_dir) / "live2.db", error).lexically_normal();
  if (!fs::is_regular_file(database_path, error)) {
    fail("no live2 database at " + database_path.string() +
         "\n  give the data dir of the server: --data-dir DIR, or LIVE2_DATA_DIR in the environment or .env"
         "\n  (`live2 serve --data-dir DIR` creates it on its first start; scripts/serve.sh uses ./data of the checkout)");
  }
  auto database = store::SqliteDatabase::open(database_path);
  if (!database) fail(database.error().message);
  return std::move(database).value();
}

void add_data_dir_option(CLI::App* command, std::string& data_dir) {
  command->add_option("--data-dir", data_dir,
                      "data directory of live2 serve, holding live2.db (default: LIVE2_DATA_DIR from the environment "
                      "or .env, else ./data)");
}

void create_key(const std::string& user_id, const std::string& tier_name, bool admin, const std::string& data_dir) {
  const std::optional<Tier> tier = parse_tier(tier_name);
  if (!tier) fail("unknown tier \"" + tier_name + "\" (hobby, research, pro or enterprise)");
  const SystemClock clock;
  const std::unique_ptr<store::SqliteDatabase> database = open_database(data_dir);
  SqliteApiKeyStore api_keys(*database);
  OsRandomSource random;
  const std::string key = new_api_key(random);
  ApiKeyRecord record;
  record.key_id = new_random_id("key_", random);
  record.user_id = user_id;
  record.tier = *tier;
  record.admin = admin;
  record.key_hash = sha256_hex(key);
  record.created_at_ms = clock.now_ms();
  if (Status created = api_keys.create_api_key(record); !created) fail(created.error().message);
  std::cerr << "created " << record.key_id << " for user " << user_id << ", tier " << to_string(*tier)
            << (admin ? ", admin" : "") << " (the key is shown only now)\n";
  std::cout << key << "\n";
}

void list_keys(const std::string& data_dir) {
  const std::unique_ptr<store::SqliteDatabase> database = open_database(data_dir);
  SqliteApiKeyStore api_keys(*database);
  auto keys = api_keys.list_api_keys();
  if (!keys) fail(keys.error().message);
  const std::string row = "{:<26} {:<20} {:<10} {:<5} {:<24} {}\n";
  std::cout << fmt::format(fmt::runtime(row), "KEY ID", "USER", "TIER", "ADMIN", "CREATED", "REVOKED");
  for (const ApiKeyRecord& key : *keys) {
    std::cout << fmt::format(fmt::runtime(row), key.key_id, key.user_id, to_string(key.tier), key.admin ? "yes" : "no",
                             format_iso8601_ms(key.created_at_ms),
                             key.revoked_at_ms ? format_iso8601_ms(*key.revoked_at_ms) : "-");
  }
}

void revoke_key(const std::string& key_id, const std::string& data_dir) {
  const SystemClock clock;
  const std::unique_ptr<store::SqliteDatabase> database = open_database(data_dir);
  SqliteApiKeyStore api_keys(*database);
  if (Status revoked = api_keys.revoke_api_key(key_id, clock.now_ms()); !revoked) {
    fail(revoked.error().message);
  }
  std::cerr << "revoked " << key_id << "\n";
}

}  // namespace

void register_keys_commands(CLI::App& app) {
  CLI::App* keys = app.add_subcommand("keys", "create, list and revoke API keys");
  keys->require_subcommand(1);

  struct CreateOptions {
    std::string user_id;
    std::string tier = "hobby";
    bool admin = false;
    std::string data_dir;
  };
  auto create_options = std::make_shared<CreateOptions>();
  CLI::App* create = keys->add_subcommand("create", "create a key and print it (only the key, on stdout)");
  create->add_option("--user", create_options->user_id, "the user the key acts for")->required();
  create->add_option("--tier", create_options->tier, "hobby (default), research, pro or enterprise");
  create->add_flag("--admin", create_options->admin, "the key sees every user's jobs");
  add_data_dir_option(create, create_options->data_dir);
  create->callback([create_options] {
    create_key(create_options->user_id, create_options->tier, create_options->admin, create_options->data_dir);
  });

  auto list_data_dir = std::make_shared<std::string>();
  CLI::App* list = keys->add_subcommand("list", "list keys (never the keys themselves)");
  add_data_dir_option(list, *list_data_dir);
  list->callback([list_data_dir] { list_keys(*list_data_dir); });

  struct RevokeOptions {
    std::string key_id;
    std::string data_dir;
  };
  auto revoke_options = std::make_shared<RevokeOptions>();
  CLI::App* revoke = keys->add_subcommand("revoke", "revoke a key by its id; requests with it then get 401");
  revoke->add_option("key_id", revoke_options->key_id, "the key's id (key_...)")->required();
  add_data_dir_option(revoke, revoke_options->data_dir);
  revoke->callback([revoke_options] { revoke_key(revoke_options->key_id, revoke_options->data_dir); });
}

}  // namespace live2::app
