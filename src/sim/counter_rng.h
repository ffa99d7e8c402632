// Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11): every draw is a pure function of
// (seed, step, stream, a, b), so results do not depend on thread count, work order or checkpoint/resume, and the
// generator has no state to save. Header-only so the hot loops can inline and vectorise it.
#pragma once

#include <array>
#include <cstdint>

namespace live2::sim {

// Distinct uses draw from distinct streams so that, e.g., the thermostat and the reaction moves never reuse bits.
enum class RngStream : uint32_t { thermostat = 1, reaction_move = 2, initial_state = 4, bond_transfer = 8 };

using Philox4x32 = std::array<uint32_t, 4>;

inline Philox4x32 philox4x32(Philox4x32 counter, uint64_t seed) {
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  uint32_t key0 = static_cast<uint32_t>(seed), key1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    const uint64_t product0 = static_cast<uint64_t>(kMul0) * counter[0];
    const uint64_t product1 = static_cast<uint64_t>(kMul1) * counter[2];
    counter = {static_cast<uint32_t>(product1 >> 32) ^ counter[1] ^ key0, static_cast<uint32_t>(product1),
               static_cast<uint32_t>(product0 >> 32) ^ counter[3] ^ key1, static_cast<uint32_t>(product0)};
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  return counter;
}

// Four independent 32-bit words for (step, stream, a, b) under `seed`. The step is folded into the stream word's
// high bits and the first counter word so that runs up to 2^56 steps never repeat a counter.
inline Philox4x32 random_words(uint64_t seed, int64_t step, RngStream stream, uint32_t a, uint32_t b) {
  const uint64_t s = static_cast<uint64_t>(step);
  return philox4x32({static_cast<uint32_t>(s), static_cast<uint32_t>(s >> 32) ^ (static_cast<uint32_t>(stream) << 24),
                     a, b},
                    seed);
}

// The same for several counters at once, one per lane (stream[lane], a[lane], b[lane]): word k of lane l equals
// random_words(seed, step, stream[l], a[l], b[l])[k] exactly (tests/sim/counter_rng_test.cpp). With AVX2 each four
// lanes run in one vector register (counter_rng.cpp): four cost about one scalar call, and eight, two registers
// whose rounds interleave so that each hides the other's multiply latency, little more than four. Otherwise lane by
// lane. Integer arithmetic only, so every path gives the same bits.
template <int Lanes>
struct PhiloxLanes {
  uint32_t word[4][Lanes];  // [word][lane]
};
PhiloxLanes<8> random_words8(uint64_t seed, int64_t step, const RngStream (&stream)[8], const uint32_t (&a)[8],
                             const uint32_t (&b)[8]);
// One stream and one b for all eight lanes (the thermostat: one atom id per lane).
PhiloxLanes<8> random_words8(uint64_t seed, int64_t step, RngStream stream, const uint32_t (&a)[8], uint32_t b);

// Uniform in [0, 1) with 32 bits of resolution.
inline double to_unit_interval(uint32_t word) { return static_cast<double>(word) * (1.0 / 4294967296.0); }

// Zero mean, unit variance, uniform on [-sqrt(3), sqrt(3)]: the thermostat's noise (see docs/simulation.md).
inline double to_unit_variance_uniform(uint32_t word) {
  constexpr double kSqrt3 = 1.7320508075688772;
  return kSqrt3 * (2.0 * to_unit_interval(word) - 1.0) + kSqrt3 / 4294967296.0;
}

}  // namespace live2::sim
