// The schema: migration from an empty file, refusal of newer schemas, connection settings and the indexes that the
// hot queries rely on (checked with EXPLAIN QUERY PLAN, so a schema change cannot silently make them scan).
#include <gtest/gtest.h>

#include <fstream>

#include "store/sqlite_connection.h"
#include "store/sqlite_schema.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

class SchemaTest : public StoreTest {
 protected:
  std::unique_ptr<store::SqliteConnection> raw_connection() {
    Result<std::unique_ptr<store::SqliteConnection>> connection =
        store::SqliteConnection::open(database_file(), store::ConnectionOptions{});
    if (!connection) ADD_FAILURE() << connection.error().message;
    return connection ? std::move(connection).value() : nullptr;
  }

  // Every row's text column `column` of `sql`, joined with newlines.
  std::string query_text(store::SqliteConnection& connection, const std::string& sql, int column = 0) {
    Result<store::Statement> statement = connection.prepare(sql);
    if (!statement) return "error: " + statement.error().message;
    std::string out;
    while (true) {
      Result<bool> row = statement->step();
      if (!row) return "error: " + row.error().message;
      if (!*row) return out;
      out += statement->text(column) + "\n";
    }
  }
};

TEST_F(SchemaTest, AnEmptyFileIsMigratedToTheLatestVersion) {
  std::ofstream(database_file()).close();
  ASSERT_NE(open_stores(), nullptr);
  auto connection = raw_connection();
  EXPECT_EQ(query_text(*connection, "PRAGMA user_version"), std::to_string(store::latest_schema_version()) + "\n");
  EXPECT_EQ(query_text(*connection, "PRAGMA journal_mode"), "wal\n");
  EXPECT_EQ(query_text(*connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
            "api_keys\njob_tags\njobs\nruns\nuser_job_counters\nwebhook_deliveries\n");
}

TEST_F(SchemaTest, ReopeningAMigratedFileKeepsItsVersion) {
  ASSERT_NE(open_stores(), nullptr);
  ASSERT_NE(open_stores(), nullptr);
  EXPECT_EQ(query_text(*raw_connection(), "PRAGMA user_version"),
            std::to_string(store::latest_schema_version()) + "\n");
}

TEST_F(SchemaTest, ADatabaseFromANewerLive2IsRefused) {
  ASSERT_TRUE(raw_connection()->execute("PRAGMA user_version=99").ok());
  Result<std::unique_ptr<SqliteStores>> opened = SqliteStores::open(database_file(), clock_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::unavailable);
  EXPECT_NE(opened.error().message.find("99"), std::string::npos) << opened.error().message;
}

TEST_F(SchemaTest, AnUnusablePathIsAnErrorNotACrash) {
  Result<std::unique_ptr<SqliteStores>> opened = SqliteStores::open(dir_ / "missing-dir" / "live2.db", clock_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::unavailable);
}

TEST_F(SchemaTest, ForeignKeysAreEnforced) {
  ASSERT_NE(open_stores(), nullptr);
  auto connection = raw_connection();
  Status orphan = connection->execute(
      "INSERT INTO webhook_deliveries VALUES "
      "('dlv_x', 'job_missing', 'job.running', 'https://e', '{}', 0, 0, 0, '', 0)");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, ErrorCode::conflict);
}

TEST_F(SchemaTest, HotQueriesUseIndexes) {
  ASSERT_NE(open_stores(), nullptr);
  auto connection = raw_connection();
  auto plan = [&](const std::string& sql) { return query_text(*connection, "EXPLAIN QUERY PLAN " + sql, 3); };
  EXPECT_NE(plan("SELECT * FROM jobs WHERE job_id = 'j'").find("USING INDEX sqlite_autoindex_jobs_1"),
            std::string::npos);
  EXPECT_NE(plan("SELECT * FROM jobs WHERE user_id = 'u' AND job_id < 'j' ORDER BY job_id DESC LIMIT 20")
                .find("USING INDEX jobs_by_user"),
            std::string::npos);
  EXPECT_NE(plan("SELECT * FROM jobs WHERE user_id = 'u' AND idempotency_key = 'k'")
                .find("USING INDEX jobs_by_user_idempotency_key"),
            std::string::npos);
  EXPECT_NE(plan("SELECT user_seq FROM jobs WHERE user_id = 'u' AND created_at_ms > 5 ORDER BY created_at_ms LIMIT 1")
                .find("COVERING INDEX jobs_by_user_created"),
            std::string::npos);
  EXPECT_NE(plan("SELECT count(*) FROM jobs WHERE status = 'completed'").find("COVERING INDEX jobs_by_status"),
            std::string::npos);
  // These two name their index (INDEXED BY); the plan shows it needs no sort.
  EXPECT_EQ(plan("SELECT * FROM jobs INDEXED BY jobs_awaiting_executor WHERE status IN ('queued', 'running') AND "
                 "executor_submit_state = 'not_submitted' ORDER BY job_id LIMIT 2"),
            "SCAN jobs USING INDEX jobs_awaiting_executor\n");
  EXPECT_EQ(plan("SELECT * FROM jobs INDEXED BY jobs_handed_over WHERE status IN ('queued', 'running') AND "
                 "executor_submit_state != 'not_submitted' ORDER BY job_id"),
            "SCAN jobs USING INDEX jobs_handed_over\n");
  EXPECT_NE(plan("SELECT * FROM webhook_deliveries WHERE finished = 0 AND next_attempt_at_ms <= 5 "
                 "ORDER BY next_attempt_at_ms, created_at_ms LIMIT 10")
                .find("webhook_deliveries_due"),
            std::string::npos);
}

}  // namespace
}  // namespace live2
