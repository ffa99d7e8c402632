// The counter-based generator's vector form draws exactly the scalar form's words, lane by lane, so the thermostat
// and the reaction sweep may use either without changing a bit of any result.
#include <gtest/gtest.h>

#include "sim/counter_rng.h"

namespace live2::sim {
namespace {

TEST(CounterRng, EightLaneWordsEqualTheScalarWords) {
  for (const uint64_t seed : {uint64_t{0}, uint64_t{42}, ~uint64_t{0}, uint64_t{0x123456789abcdef0}}) {
    for (const int64_t step : {int64_t{0}, int64_t{1}, int64_t{4'000'000'000}, (int64_t{1} << 55) + 7}) {
      const uint32_t ids[8] = {0u, 1u, 0x7fffffffu, 0xffffffffu, 2u, 1000u, 0x80000000u, 0xfffffffeu};
      for (const uint32_t b : {0u, 5u, 0xffffffffu}) {
        const PhiloxLanes<8> lanes = random_words8(seed, step, RngStream::thermostat, ids, b);
        for (int lane = 0; lane < 8; ++lane) {
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
TEST(CounterRng, EightLaneWordsWithAStreamAndCounterPerLaneEqualTheScalarWords) {
  const RngStream streams[8] = {RngStream::reaction_move, RngStream::bond_transfer, RngStream::reaction_move,
                                RngStream::thermostat,    RngStream::bond_transfer, RngStream::reaction_move,
                                RngStream::initial_state, RngStream::bond_transfer};
  const uint32_t a[8] = {3u, 3u, 0xffffffffu, 17u, 4u, 4u, 0u, 0x7fffffffu};
  const uint32_t b[8] = {9u, 9u, 0u, 0x80000000u, 5u, 6u, 1u, 0xffffffffu};
  for (const int64_t step : {int64_t{0}, int64_t{12345}, (int64_t{1} << 55) + 7}) {
    const PhiloxLanes<8> lanes = random_words8(42, step, streams, a, b);
    for (int lane = 0; lane < 8; ++lane) {
      const Philox4x32 scalar = random_words(42, step, streams[lane], a[lane], b[lane]);
      for (int k = 0; k < 4; ++k) EXPECT_EQ(lanes.word[k][lane], scalar[k]) << "step " << step << " lane " << lane;
    }
  }
}

}  // namespace
}  // namespace live2::sim
