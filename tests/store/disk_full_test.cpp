// The store on a real full disk (a small tmpfs): a write that needs space fails as `storage_full` (HTTP 503, not
// 500), reads go on, the file stays intact, and the same open store writes again once space returns.
#include <gtest/gtest.h>

#include "store/sqlite_connection.h"
#include "store_test_fixture.h"
#include "support/small_filesystem.h"

namespace live2 {
namespace {

class StoreOnAFullDisk : public StoreTest {
 protected:
  void SetUp() override {
    if (auto missing = testing::SmallFilesystem::unavailable_reason()) GTEST_SKIP() << *missing;
    disk_ = std::make_unique<testing::SmallFilesystem>(4 << 20);
  }

  std::string integrity_check() {
    auto connection = store::SqliteConnection::open(disk_->path() / "live2.db", store::ConnectionOptions{});
    if (!connection) return connection.error().message;
    auto statement = (*connection)->prepare("PRAGMA integrity_check");
    if (!statement) return statement.error().message;
    auto row = statement->step();
    if (!row) return row.error().message;
    return statement->text(0);
  }

  std::unique_ptr<testing::SmallFilesystem> disk_;
};

TEST_F(StoreOnAFullDisk, WritesFailAsStorageFullAndResumeWithoutReopening) {
  auto opened = SqliteStores::open(disk_->path() / "live2.db", clock_);
  ASSERT_TRUE(opened) << opened.error().message;
  SqliteJobStore& store = (*opened)->jobs();
  const Job before = create(store, new_job("alice"));
  disk_->fill();

  // Jobs with 16 KiB of params: the WAL soon needs pages the disk cannot give.
  std::optional<Error> failure;
  int accepted = 0;
  for (int i = 0; i < 1000 && !failure; ++i) {
    Job job = new_job("alice");
    job.params_json = R"({"simulation_config":{"mode":"open_chemistry"},"pad":")" + std::string(16 * 1024, 'p') + "\"}";
    auto outcome = store.create_job(job, JobQuota{}, clock_.now_ms());
    if (outcome) {
      ++accepted;
    } else {
      failure = outcome.error();
    }
  }
  ASSERT_TRUE(failure) << "1000 jobs of 16 KiB fit on a full 4 MiB disk";
  EXPECT_EQ(failure->code, ErrorCode::storage_full) << failure->message;

  auto read_back = store.get_job(before.job_id);
  ASSERT_TRUE(read_back) << read_back.error().message;
  EXPECT_TRUE(read_back->has_value());
  auto counted = store.count_jobs_by_status(JobStatus::queued);
  ASSERT_TRUE(counted) << counted.error().message;
  EXPECT_EQ(*counted, 1 + accepted) << "every job the store accepted is there, and no other";
  EXPECT_EQ(integrity_check(), "ok");

  disk_->free_up();
  const Job after = create(store, new_job("bob"));
  auto found = store.get_job(after.job_id);
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ(integrity_check(), "ok");
}

}  // namespace
}  // namespace live2
