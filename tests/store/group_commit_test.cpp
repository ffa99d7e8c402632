// Durable commits (docs/storage.md, "Connections and durability"): the writer's pragmas, and group commit's answers: a waiter is
// answered only after a sync that began after its commit, one sync answers every commit before it, and nothing
// pending means no sync.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "store/sqlite_database.h"
#include "store_test_fixture.h"

namespace live2 {
namespace {

class GroupCommitTest : public StoreTest {};

std::string pragma_text(store::SqliteConnection& connection, const std::string& pragma) {
  Result<store::Statement> statement = connection.prepare("PRAGMA " + pragma);
  EXPECT_TRUE(statement.ok());
  Result<bool> row = statement->step();
  EXPECT_TRUE(row.ok() && *row);
  return statement->text(0);
}

// The fsync policy: commits append to the WAL without an fsync of their own (synchronous=NORMAL, 1), and checkpoints
// sync; what makes each commit durable is the group commit's fsync of the -wal file, tested below.
TEST_F(GroupCommitTest, TheWriterCommitsToTheWalWithCheckpointsSynced) {
  auto database = store::SqliteDatabase::open(database_file());
  ASSERT_TRUE(database.ok()) << database.error().message;
  store::SqliteDatabase::Writer writer(**database);
  EXPECT_EQ(pragma_text(*writer, "journal_mode"), "wal");
  EXPECT_EQ(pragma_text(*writer, "synchronous"), "1");
}

TEST_F(GroupCommitTest, AWaiterIsAnsweredAfterASyncThatFollowsItsCommit) {
  auto stores = open_stores();
  JobStore& jobs = stores->jobs();
  const int64_t syncs_before = jobs.durable_sync_count();
  ASSERT_TRUE(jobs.create_job(new_job("alice"), JobQuota{}, clock_.now_ms()).ok());

  std::promise<std::pair<bool, int64_t>> answered;
  jobs.when_durable([&](bool durable) { answered.set_value({durable, jobs.durable_sync_count()}); });
  const auto [durable, syncs_when_answered] = answered.get_future().get();
  EXPECT_TRUE(durable);
  EXPECT_GT(syncs_when_answered, syncs_before);

  // Nothing committed since: answered at once, on the caller's thread, without another sync.
  const int64_t syncs_after = jobs.durable_sync_count();
  bool answered_inline = false;
  jobs.when_durable([&](bool now_durable) { answered_inline = now_durable; });
  EXPECT_TRUE(answered_inline);
  EXPECT_EQ(jobs.durable_sync_count(), syncs_after);
}

TEST_F(GroupCommitTest, ConcurrentWritersAreAllAnsweredAndShareSyncs) {
  auto stores = open_stores();
  JobStore& jobs = stores->jobs();
  constexpr int kThreads = 8;
  constexpr int kJobsEach = 25;
  std::vector<Job> prepared;
  for (int i = 0; i < kThreads * kJobsEach; ++i) prepared.push_back(new_job("user" + std::to_string(i % kThreads)));
  const int64_t syncs_before = jobs.durable_sync_count();
  std::atomic<int> durable_answers{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < kJobsEach; ++i) {
        if (!jobs.create_job(prepared[t * kJobsEach + i], JobQuota{}, 0).ok()) continue;
        std::promise<bool> durable;
        jobs.when_durable([&durable](bool ok) { durable.set_value(ok); });
        if (durable.get_future().get()) ++durable_answers;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(durable_answers.load(), kThreads * kJobsEach);
  const int64_t syncs = jobs.durable_sync_count() - syncs_before;
  EXPECT_GE(syncs, 1);
  EXPECT_LE(syncs, kThreads * kJobsEach);  // never more than one per commit
}

}  // namespace
}  // namespace live2
