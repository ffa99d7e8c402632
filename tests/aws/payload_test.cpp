// Payload and map_file_range: the bytes a mapped range shows, ranges that do not start on a page, and ranges the
// file does not hold (which must be refused, because touching them through a mapping would raise SIGBUS).
#include "aws/payload.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace live2::aws {
namespace {

std::string pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>('a' + (i * 7) % 26);
  return bytes;
}

class MappedRange : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(file_, std::ios::binary) << content_;
  }

  live2::testing::TempDir dir_;
  std::filesystem::path file_ = dir_ / "results.h5";
  std::string content_ = pattern(3 * 4096 + 123);
};

TEST(Payload, OwnsTextAndSharesItWithCopies) {
  Payload original = std::string("{\"jobs\":[]}");
  const Payload copy = original;
  original = Payload();
  EXPECT_EQ(copy.view(), "{\"jobs\":[]}");
  EXPECT_TRUE(original.empty());
}

TEST_F(MappedRange, ShowsTheBytesOfARangeThatStartsInsideAPage) {
  Result<Payload> part = map_file_range(file_, 5000, 4096);
  ASSERT_TRUE(part.ok()) << part.error().message;
  EXPECT_EQ(part->view(), content_.substr(5000, 4096));
}

TEST_F(MappedRange, ShowsTheWholeFileAndOutlivesTheCallThatMappedIt) {
  Payload whole;
  {
    Result<Payload> mapped = map_file_range(file_, 0, static_cast<int64_t>(content_.size()));
    ASSERT_TRUE(mapped.ok());
    whole = *mapped;
  }
  std::filesystem::remove(file_);  // the mapping keeps the bytes
  EXPECT_EQ(whole.view(), content_);
}

TEST_F(MappedRange, AnEmptyRangeIsAnEmptyPayload) {
  Result<Payload> empty = map_file_range(file_, 0, 0);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(MappedRange, RefusesARangePastTheEndOfTheFile) {
  Result<Payload> beyond = map_file_range(file_, static_cast<int64_t>(content_.size()) - 10, 11);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().code, ErrorCode::io_error);
  EXPECT_FALSE(map_file_range(file_, -1, 10).ok());
}

TEST_F(MappedRange, RefusesAFileThatIsNotThere) {
  Result<Payload> missing = map_file_range(dir_ / "absent", 0, 10);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("absent"), std::string::npos);
}

}  // namespace
}  // namespace live2::aws
