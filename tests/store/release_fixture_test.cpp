// Upgrades: a job store written by a released live2 (tests/store/fixtures/<version>/, made by
// make_release_fixture.sh with that release's binaries) opens with today's code, is migrated to the latest schema,
// and keeps every job, key and webhook delivery a user already had. Each fixture is a copy: the committed file is
// never modified. A missing fixture fails: it is part of the repository.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/clock.h"
#include "base/hashing.h"
#include "base/random_source.h"
#include "core/ids.h"
#include "store/sqlite_stores.h"
#include "store/sqlite_schema.h"
#include "support/temp_dir.h"

#include <sqlite3.h>

namespace live2 {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const fs::path kFixtures = LIVE2_STORE_FIXTURES;

json::object read_json(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_object();
}

class ReleaseFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const fs::path source = kFixtures / GetParam();
    ASSERT_TRUE(fs::exists(source / "live2.db")) << "fixture missing: " << source;
    fs::copy_file(source / "live2.db", dir_.path() / "live2.db");
    keys_ = read_json(source / "keys.json");
    Result<std::unique_ptr<SqliteStores>> opened = SqliteStores::open(dir_.path() / "live2.db", clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    stores_ = std::move(opened).value();
  }

  std::string key(const char* name) const { return std::string(keys_.at(name).as_string()); }
  std::string job_id(const char* name) const { return std::string(keys_.at("jobs").at(name).as_string()); }

  Job job(const char* name) {
    Result<std::optional<Job>> found = stores_->jobs().get_job(job_id(name));
    EXPECT_TRUE(found) << found.error().message;
    EXPECT_TRUE(found && found->has_value()) << name << " job lost";
    return found && found->has_value() ? **found : Job{};
  }

  testing::TempDir dir_{"live2-release-fixture"};
  FakeClock clock_{1'900'000'000'000};  // after the fixture was written: every pending delivery is due
  OsRandomSource random_;
  json::object keys_;
  std::unique_ptr<SqliteStores> stores_;
};

TEST_P(ReleaseFixture, IsMigratedToTheLatestSchema) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((dir_.path() / "live2.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(statement, 0), store::latest_schema_version());
  sqlite3_finalize(statement);
  sqlite3_close(db);
}

TEST_P(ReleaseFixture, JobsKeepTheirStatusOwnerAndIdempotencyKey) {
  const Job completed = job("completed");
  EXPECT_EQ(completed.user_id, "alice");
  EXPECT_EQ(completed.status, JobStatus::completed);
  EXPECT_EQ(completed.idempotency_key, std::optional<std::string>("fixture-1"));
  EXPECT_TRUE(completed.started_at_ms.has_value());
  EXPECT_TRUE(completed.completed_at_ms.has_value());

  const Job cancelled = job("cancelled");
  EXPECT_EQ(cancelled.user_id, "bob");
  EXPECT_EQ(cancelled.status, JobStatus::cancelled);
  EXPECT_TRUE(cancelled.cancelled_at_ms.has_value());

  const Job hooked = job("webhook");
  EXPECT_EQ(hooked.webhook_url, std::optional<std::string>("https://hooks.example.invalid/live2"));

  JobFilter bobs;
  bobs.user_id = "bob";
  Result<std::vector<Job>> listed = stores_->jobs().list_jobs(bobs);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 2u);
}

TEST_P(ReleaseFixture, KeysStillAuthenticateAndRevocationsStand) {
  ApiKeyStore& api_keys = stores_->api_keys();
  Result<std::optional<ApiKeyRecord>> admin = api_keys.find_api_key_by_hash(sha256_hex(key("alice_admin_research")));
  ASSERT_TRUE(admin && admin->has_value());
  EXPECT_EQ((*admin)->user_id, "alice");
  EXPECT_EQ((*admin)->tier, Tier::research);
  EXPECT_TRUE((*admin)->admin);

  Result<std::optional<ApiKeyRecord>> hobby = api_keys.find_api_key_by_hash(sha256_hex(key("bob_hobby")));
  ASSERT_TRUE(hobby && hobby->has_value());
  EXPECT_EQ((*hobby)->tier, Tier::hobby);
  EXPECT_FALSE((*hobby)->revoked_at_ms.has_value());

  Result<std::optional<ApiKeyRecord>> revoked = api_keys.find_api_key_by_hash(sha256_hex(key("carol_pro_revoked")));
  ASSERT_TRUE(revoked && revoked->has_value());
  EXPECT_TRUE((*revoked)->revoked_at_ms.has_value());
}

TEST_P(ReleaseFixture, PendingWebhookDeliveriesAreStillDue) {
  Result<std::vector<WebhookDelivery>> due = stores_->outbox().due_webhook_deliveries(clock_.now_ms(), 100);
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 2u);
  for (const WebhookDelivery& delivery : *due) {
    EXPECT_EQ(delivery.job_id, job_id("webhook"));
    EXPECT_EQ(delivery.url, "https://hooks.example.invalid/live2");
    EXPECT_EQ(delivery.attempts, 1);
    EXPECT_FALSE(delivery.payload_json.empty());
  }
}

TEST_P(ReleaseFixture, TheUpgradedStoreTakesNewJobs) {
  Job fresh;
  fresh.job_id = new_job_id(clock_.now_ms(), random_);
  fresh.user_id = "bob";
  fresh.job_type = "run_simulation";
  fresh.params_json = R"({"simulation_config":{"mode":"open_chemistry"}})";
  fresh.created_at_ms = clock_.now_ms();
  fresh.updated_at_ms = clock_.now_ms();
  fresh.request_fingerprint = "after-upgrade";
  Result<CreateJobOutcome> created = stores_->jobs().create_job(fresh, JobQuota{}, clock_.now_ms());
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created->created);
}

INSTANTIATE_TEST_SUITE_P(Releases, ReleaseFixture, ::testing::Values("v0.1.0"),
                         [](const auto& info) {
                           std::string name = "release_" + info.param;
                           for (char& c : name) c = c == '.' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace live2
