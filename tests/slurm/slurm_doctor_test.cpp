// Reading Slurm's time limits for doctor's partition check (the checks themselves run against the fixture cluster
// in serve_slurm_test.cpp).
#include <gtest/gtest.h>

#include "exec/slurm_doctor.h"

namespace live2 {
namespace {

TEST(SlurmTimeFormat, ReadsEveryFormScontrolPrints) {
  EXPECT_EQ(slurm_time_minutes("UNLIMITED"), -1);
  EXPECT_EQ(slurm_time_minutes("01:00:00"), 60);
  EXPECT_EQ(slurm_time_minutes("2-00:30:00"), 2 * 1440 + 30);
  EXPECT_EQ(slurm_time_minutes("45"), 45);
  EXPECT_EQ(slurm_time_minutes("NONE"), std::nullopt);
}

}  // namespace
}  // namespace live2
