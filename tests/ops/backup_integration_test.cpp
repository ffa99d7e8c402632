// `live2 backup` while `live2 serve` takes a burst of submissions: the copy passes PRAGMA integrity_check, is private
// (0600), holds every job answered 202 before the backup began, and restores (stop, copy with secrets.json, start)
// into a server that serves those jobs to the same key.
#include <sqlite3.h>
#include <sys/stat.h>
#include <gtest/gtest.h>

#include <set>

#include "ops_test_helpers.h"

namespace live2::ops {
namespace {

namespace fs = std::filesystem;
using live2::testing::bearer;
using live2::testing::http_get;
using live2::testing::run_command;
using live2::testing::ServerOptions;
using live2::testing::ServerProcess;

std::string query_text(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string text;
  if (sqlite3_step(statement) == SQLITE_ROW) text = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  sqlite3_finalize(statement);
  return text;
}

std::set<std::string> job_ids_in(sqlite3* db) {
  std::set<std::string> ids;
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT job_id FROM jobs", -1, &statement, nullptr), SQLITE_OK);
  while (sqlite3_step(statement) == SQLITE_ROW) ids.insert(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  sqlite3_finalize(statement);
  return ids;
}

TEST(OnlineBackup, ACopyTakenUnderLoadIsWholeHoldsEveryAcceptedJobAndRestores) {
  live2::testing::TempDir dir("live2-backup");
  ServerProcess server(burst_server_options(dir));
  server.start();
  const std::string key = server.create_key("burst", "enterprise");

  SubmitBurst burst(server.url("/api/v1/jobs"), key, 8);
  ASSERT_TRUE(burst.wait_for(200));
  const std::vector<std::string> accepted_before = burst.accepted();
  const fs::path copy = dir.path() / "backups" / "live2-backup.db";
  fs::create_directories(copy.parent_path());
  const auto backup = run_command({(live2::testing::binary_dir() / "live2").string(), "backup", "--to", copy.string(),
                                   "--data-dir", server.data_dir().string()});
  const size_t accepted_during = burst.accepted().size() - accepted_before.size();
  burst.stop();
  ASSERT_EQ(backup.exit_code, 0) << backup.stderr_text;
  EXPECT_GT(accepted_during, 0u) << "the API kept accepting jobs while the backup ran";

  struct stat status {};
  ASSERT_EQ(stat(copy.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);
  EXPECT_EQ(fs::directory_iterator(copy.parent_path())->path(), copy) << "no temporary file is left";

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(copy.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(query_text(db, "PRAGMA integrity_check"), "ok");
  const std::set<std::string> copied = job_ids_in(db);
  sqlite3_close(db);
  int missing = 0;
  for (const std::string& job_id : accepted_before) missing += copied.count(job_id) == 0 ? 1 : 0;
  EXPECT_EQ(missing, 0) << "of " << accepted_before.size() << " jobs answered 202 before the backup began";

  // Restore as docs/storage.md says: stop, copy the database and secrets.json into the data dir, start.
  server.stop();
  live2::testing::TempDir restored_dir("live2-restored");
  const fs::path restored_data = restored_dir.path() / "data";
  fs::create_directories(restored_data);
  fs::permissions(restored_data, fs::perms::owner_all, fs::perm_options::replace);
  fs::copy_file(copy, restored_data / "live2.db");
  fs::copy_file(server.data_dir() / "secrets.json", restored_data / "secrets.json");
  ServerOptions restored_options = burst_server_options(restored_dir);
  restored_options.data_dir = restored_data;
  ServerProcess restored(restored_options);
  restored.start();
  EXPECT_EQ(http_get(restored.url("/api/v1/jobs/" + accepted_before.front()), bearer(key)).status, 200);
  EXPECT_EQ(http_get(restored.url("/api/v1/jobs/" + accepted_before.back()), bearer(key)).status, 200);
}

TEST(OnlineBackup, WithoutADatabaseItFailsAndWritesNothing) {
  live2::testing::TempDir dir("live2-backup-none");
  const auto backup = run_command({(live2::testing::binary_dir() / "live2").string(), "backup", "--to",
                                   (dir.path() / "copy.db").string(), "--data-dir", (dir.path() / "data").string()});
  EXPECT_EQ(backup.exit_code, 1);
  EXPECT_NE(backup.stderr_text.find("no database"), std::string::npos) << backup.stderr_text;
  EXPECT_FALSE(fs::exists(dir.path() / "copy.db"));
}

}  // namespace
}  // namespace live2::ops
