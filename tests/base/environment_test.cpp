#include "base/environment.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace live2 {
namespace {

TEST(Environment, CopiesThisProcesssVariablesWithValuesContainingEquals) {
  ASSERT_EQ(setenv("LIVE2_ENVIRONMENT_TEST", "a=b=c", 1), 0);
  const Environment environment = process_environment();
  EXPECT_EQ(environment_value(environment, "LIVE2_ENVIRONMENT_TEST"), "a=b=c");
  unsetenv("LIVE2_ENVIRONMENT_TEST");
  EXPECT_FALSE(environment_value(process_environment(), "LIVE2_ENVIRONMENT_TEST").has_value());
}

TEST(Environment, TellsAnEmptyValueFromAnUnsetOne) {
  const Environment environment = {{"EMPTY", ""}};
  EXPECT_EQ(environment_value(environment, "EMPTY"), "");
  EXPECT_FALSE(environment_value(environment, "UNSET").has_value());
}

}  // namespace
}  // namespace live2
