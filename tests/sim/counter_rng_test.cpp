// The counter-based generator's vector form draws exactly the scalar form's words, lane by lane, so the thermostat
// and the reaction sweep may use either without changing a bit of any result.
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

// The reaction sweep draws two streams for up to four pairs in one call: every lane its own stream and counter words.
TEST(CounterRng, FourLaneWordsWithAStreamAndCounterPerLaneEqualTheScalarWords) {
  const RngStream streams[4] = {RngStream::reaction_move, RngStream::bond_transfer, RngStream::reaction_move,
                                RngStream::thermostat};
  const uint32_t a[4] = {3u, 3u, 0xffffffffu, 17u}, b[4] = {9u, 9u, 0u, 0x80000000u};
  for (const int64_t step : {int64_t{0}, int64_t{12345}, (int64_t{1} << 55) + 7}) {
    const Philox4x32Lanes lanes = random_words4(42, step, streams, a, b);
    for (int lane = 0; lane < 4; ++lane) {
      const Philox4x32 scalar = random_words(42, step, streams[lane], a[lane], b[lane]);
      for (int k = 0; k < 4; ++k) EXPECT_EQ(lanes.word[k][lane], scalar[k]) << "step " << step << " lane " << lane;
    }
  }
}

}  // namespace
}  // namespace live2::sim
