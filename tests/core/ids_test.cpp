#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace live2 {
namespace {

TEST(JobIds, HavePrefixAlphabetAndLength) {
  OsRandomSource random;
  const std::string id = new_job_id(1'795'000'000'000, random);
  EXPECT_TRUE(id.starts_with("job_"));
  EXPECT_EQ(id.size(), 4u + 9u + 16u);
  EXPECT_TRUE(is_valid_job_id(id));
  EXPECT_FALSE(is_valid_job_id("job_ABC"));
  EXPECT_FALSE(is_valid_job_id("job_0000000000000000000%"));
  EXPECT_FALSE(is_valid_job_id("../etc/passwd"));
}

TEST(JobIds, PrefixesAreTheStartsOfIds) {
  OsRandomSource random;
  const std::string id = new_job_id(1'795'000'000'000, random);
  EXPECT_EQ(id.size(), 4u + kJobIdChars);
  EXPECT_TRUE(is_job_id_prefix(id.substr(0, 5)));
  EXPECT_TRUE(is_job_id_prefix("job_0mxa6vkl"));  // 8 characters: a prefix, not an id
  EXPECT_FALSE(is_valid_job_id("job_0mxa6vkl"));
  EXPECT_TRUE(is_job_id_prefix(id.substr(0, id.size() - 1)));
  EXPECT_FALSE(is_job_id_prefix(id)) << "a whole id is an id";
  EXPECT_FALSE(is_job_id_prefix("job_"));
  EXPECT_FALSE(is_job_id_prefix("job_0MXA"));
  EXPECT_FALSE(is_job_id_prefix("0mxa6vkl"));
}

TEST(JobIds, SortByCreationTime) {
  OsRandomSource random;
  std::string previous;
  for (int64_t ms : {0LL, 1LL, 35LL, 36LL, 1'700'000'000'000LL, 1'795'000'000'000LL, 1'795'000'000'001LL}) {
    const std::string id = new_job_id(ms, random);
    EXPECT_LT(previous, id) << ms;
    previous = id;
  }
}

TEST(JobIds, AreUnique) {
  OsRandomSource random;
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) EXPECT_TRUE(seen.insert(new_job_id(1'795'000'000'000, random)).second);
}

TEST(ApiKeys, HaveDocumentedShape) {
  OsRandomSource random;
  const std::string key = new_api_key(random);
  EXPECT_TRUE(looks_like_api_key(key)) << key;
  EXPECT_EQ(key.size(), 8u + 32u);
  EXPECT_FALSE(looks_like_api_key("sk_live_0123"));
  EXPECT_FALSE(looks_like_api_key("sk_live_0123456789ABCDEF0123456789abcdef"));
}

TEST(SeededRandomSource, GivesUniqueRequestIds) {
  OsRandomSource os;
  SeededRandomSource fast(os);
  std::set<std::string> ids;
  for (int i = 0; i < 100'000; ++i) ids.insert(new_random_id("req_", fast));
  EXPECT_EQ(ids.size(), 100'000u);
  EXPECT_EQ(ids.begin()->size(), 24u);
}

}  // namespace
}  // namespace live2
