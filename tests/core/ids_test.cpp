#include "core/ids.h"

#include <gtest/gtest.h>

#include <array>
#include <cstring>
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

TEST(Crypto, KnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
}

}  // namespace
// Fills with one repeated byte, so a seed is chosen by the test.
class ConstantSource final : public RandomSource {
 public:
  explicit ConstantSource(uint8_t byte) : byte_(byte) {}
  void fill(uint8_t* out, size_t size) override { std::memset(out, byte_, size); }

 private:
  uint8_t byte_;
};

TEST(SeededRandomSource, IsAStreamFixedByItsSeedAndFillsOddSizes) {
  ConstantSource seed_a(1), seed_b(2);
  SeededRandomSource first(seed_a), again(seed_a), other(seed_b);
  std::array<uint8_t, 13> a{}, b{}, c{};
  first.fill(a.data(), a.size());
  again.fill(b.data(), b.size());
  other.fill(c.data(), c.size());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a[12], 0) << "the tail of an odd size is filled too";
}

TEST(SeededRandomSource, GivesUniqueRequestIds) {
  OsRandomSource os;
  SeededRandomSource fast(os);
  std::set<std::string> ids;
  for (int i = 0; i < 100'000; ++i) ids.insert(new_random_id("req_", fast));
  EXPECT_EQ(ids.size(), 100'000u);
  EXPECT_EQ(ids.begin()->size(), 24u);
}

}  // namespace live2
