// The counter-based generator's vector form draws exactly the scalar form's words, lane by lane, so the thermostat
// may use either without changing a bit of any result.
#include <gtest/gtest.h>

#include "sim/counter_rng.h"

namespace live2::sim {
namespace {

TEST(CounterRng, FourLaneWordsEqualTheScalarWords) {
  for (const uint64_t seed : {uint64_t{0}, uint64_t{42}, ~uint64_t{0}, uint64_t{0x123456789abcdef0}}) {
    for (const int64_t step : {int64_t{0}, int64_t{1}, int64_t{4'000'000'000}, (int64_t{1} << 55) + 7}) {
      const uint32_t ids[4] = {0u, 1u, 0x7fffffffu, 0xffffffffu};
      for (const uint32_t b : {0u, 5u, 0xffffffffu}) {
        const Philox4x32Lanes lanes = random_words4(seed, step, RngStream::thermostat, ids, b);
        for (int lane = 0; lane < 4; ++lane) {
          const Philox4x32 scalar = random_words(seed, step, RngStream::thermostat, ids[lane], b);
          for (int k = 0; k < 4; ++k) {
            EXPECT_EQ(lanes.word[k][lane], scalar[k]) << "seed " << seed << " step " << step << " lane " << lane;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace live2::sim
