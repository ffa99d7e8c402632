#include "exec/text_excerpt.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace live2 {
namespace {

class TextExcerptTest : public ::testing::Test {
 protected:
  std::filesystem::path file_with(const std::string& content) {
    const auto path = temp_ / "file.txt";
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  testing::TempDir temp_;
};

TEST_F(TextExcerptTest, LastLines) {
  const auto file = file_with("a\nb\nc\nd\n");
  EXPECT_EQ(last_lines_of_file(file, 2, 1000).value(), "c\nd\n");
  EXPECT_EQ(last_lines_of_file(file, 10, 1000).value(), "a\nb\nc\nd\n");
  EXPECT_EQ(last_lines_of_file(file, 0, 1000).value(), "");
}

TEST_F(TextExcerptTest, LastLinesCountsAnUnterminatedFinalLine) {
  EXPECT_EQ(last_lines_of_file(file_with("a\nb\nc"), 2, 1000).value(), "b\nc");
}

TEST_F(TextExcerptTest, LastLinesAcrossBlocksAndWithinTheByteLimit) {
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  const auto file = file_with(content);
  EXPECT_EQ(last_lines_of_file(file, 3, 1 << 20).value(), "line 19997\nline 19998\nline 19999\n");
  const std::string capped = last_lines_of_file(file, 20000, 100).value();
  EXPECT_LE(capped.size(), 100u);
  EXPECT_TRUE(capped.ends_with("line 19999\n"));
}

TEST_F(TextExcerptTest, FirstLines) {
  const auto file = file_with("a\nb\nc\n");
  EXPECT_EQ(first_lines_of_file(file, 2, 1000).value(), "a\nb\n");
  EXPECT_EQ(first_lines_of_file(file, 5, 3).value(), "a\nb");
}

TEST_F(TextExcerptTest, MissingFileIsEmpty) {
  EXPECT_EQ(last_lines_of_file(temp_ / "missing", 5, 100).value(), "");
  EXPECT_EQ(first_lines_of_file(temp_ / "missing", 5, 100).value(), "");
}

}  // namespace
}  // namespace live2
