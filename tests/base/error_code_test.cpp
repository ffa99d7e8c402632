#include "base/error_code.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace live2 {
namespace {

// Every code has its own name, and the name leads back to the code: the API and the CLI meet on these names.
TEST(ErrorCode, EveryCodeHasADistinctNameThatReadsBack) {
  std::set<std::string> names;
  for (size_t i = 0; i <= static_cast<size_t>(ErrorCode::service_error); ++i) {
    const auto code = static_cast<ErrorCode>(i);
    const std::string name(to_string(code));
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(error_code_from_string(name), code) << name;
  }
  EXPECT_EQ(to_string(ErrorCode::validation_failed), "validation_failed");
  EXPECT_EQ(to_string(ErrorCode::storage_full), "storage_full");
  EXPECT_FALSE(error_code_from_string("NoSuchKey").has_value());
}

}  // namespace
}  // namespace live2
