// JobCache: committed writes always win; a read that raced with a write is not cached; the size stays bounded.
#include "store/job_cache.h"

#include <gtest/gtest.h>

namespace live2::store {
namespace {

Job job_with(const std::string& job_id, double progress) {
  Job job;
  job.job_id = job_id;
  job.progress = progress;
  return job;
}

TEST(JobCacheTest, WrittenJobsAreFoundAndReplaced) {
  JobCache cache(8);
  EXPECT_FALSE(cache.find("job_a").has_value());
  cache.put_written(job_with("job_a", 10));
  cache.put_written(job_with("job_a", 20));
  ASSERT_TRUE(cache.find("job_a").has_value());
  EXPECT_EQ(cache.find("job_a")->progress, 20);
}

TEST(JobCacheTest, AReadIsCachedWhenNoWriteHappenedMeanwhile) {
  JobCache cache(8);
  const uint64_t before = cache.write_count();
  cache.put_read(job_with("job_a", 10), before);
  ASSERT_TRUE(cache.find("job_a").has_value());
  EXPECT_EQ(cache.find("job_a")->progress, 10);
}

TEST(JobCacheTest, AReadThatRacedWithAWriteNeverReplacesIt) {
  JobCache cache(8);
  const uint64_t before = cache.write_count();   // a reader starts reading version 1 from the database
  cache.put_written(job_with("job_a", 20));      // meanwhile a writer commits version 2
  cache.put_read(job_with("job_a", 10), before);  // the reader comes back with version 1
  EXPECT_EQ(cache.find("job_a")->progress, 20);
}

TEST(JobCacheTest, AReadThatRacedWithAnEvictedWriteIsNotCached) {
  JobCache cache(1);
  const uint64_t before = cache.write_count();
  cache.put_written(job_with("job_a", 20));
  cache.put_written(job_with("job_b", 1));  // evicts job_a
  cache.put_read(job_with("job_a", 10), before);
  EXPECT_FALSE(cache.find("job_a").has_value());
}

TEST(JobCacheTest, HoldsAtMostItsCapacity) {
  JobCache cache(2);
  for (const char* id : {"job_a", "job_b", "job_c"}) cache.put_written(job_with(id, 0));
  int found = 0;
  for (const char* id : {"job_a", "job_b", "job_c"}) found += cache.find(id).has_value() ? 1 : 0;
  EXPECT_EQ(found, 2);
  EXPECT_TRUE(cache.find("job_c").has_value()) << "the newest write is kept";
}

}  // namespace
}  // namespace live2::store
