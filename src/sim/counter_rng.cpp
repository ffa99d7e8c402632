#include "counter_rng.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace live2::sim {

namespace {

template <int Lanes>
PhiloxLanes<Lanes> random_words_lanes(uint64_t seed, int64_t step, const RngStream* stream, const uint32_t* a,
                                      const uint32_t* b) {
  static_assert(Lanes % 4 == 0);
  const uint64_t s = static_cast<uint64_t>(step);
  const uint32_t counter0 = static_cast<uint32_t>(s);
  uint32_t counter1[Lanes];
  for (int lane = 0; lane < Lanes; ++lane) {
    counter1[lane] = static_cast<uint32_t>(s >> 32) ^ (static_cast<uint32_t>(stream[lane]) << 24);
  }
  PhiloxLanes<Lanes> out;
#if defined(__AVX2__)
  // Each 64-bit lane holds one 32-bit word; _mm256_mul_epu32 multiplies the low halves into the full 64-bit product,
  // exactly the scalar round's (uint64_t)kMul * word. The registers of different sets of four lanes are independent.
  constexpr int kSets = Lanes / 4;
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  const __m256i low = _mm256_set1_epi64x(0xFFFFFFFFll), mul0 = _mm256_set1_epi64x(kMul0),
                mul1 = _mm256_set1_epi64x(kMul1);
  __m256i x0[kSets], x1[kSets], x2[kSets], x3[kSets];
  for (int set = 0; set < kSets; ++set) {
    const int l = 4 * set;
    x0[set] = _mm256_set1_epi64x(counter0);
    x1[set] = _mm256_set_epi64x(counter1[l + 3], counter1[l + 2], counter1[l + 1], counter1[l]);
    x2[set] = _mm256_set_epi64x(a[l + 3], a[l + 2], a[l + 1], a[l]);
    x3[set] = _mm256_set_epi64x(b[l + 3], b[l + 2], b[l + 1], b[l]);
  }
  uint32_t key0 = static_cast<uint32_t>(seed), key1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    const __m256i k0 = _mm256_set1_epi64x(key0), k1 = _mm256_set1_epi64x(key1);
    for (int set = 0; set < kSets; ++set) {
      const __m256i product0 = _mm256_mul_epu32(x0[set], mul0), product1 = _mm256_mul_epu32(x2[set], mul1);
      x0[set] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product1, 32), x1[set]), k0);
      x1[set] = _mm256_and_si256(product1, low);
      x2[set] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product0, 32), x3[set]), k1);
      x3[set] = _mm256_and_si256(product0, low);
    }
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  for (int set = 0; set < kSets; ++set) {
    alignas(32) uint64_t lanes[4][4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[0]), x0[set]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[1]), x1[set]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[2]), x2[set]);
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[3]), x3[set]);
    for (int k = 0; k < 4; ++k) {
      for (int lane = 0; lane < 4; ++lane) out.word[k][4 * set + lane] = static_cast<uint32_t>(lanes[k][lane]);
    }
  }
#else
  for (int lane = 0; lane < Lanes; ++lane) {
    const Philox4x32 words = philox4x32({counter0, counter1[lane], a[lane], b[lane]}, seed);
    for (int k = 0; k < 4; ++k) out.word[k][lane] = words[k];
  }
#endif
  return out;
}

}  // namespace

PhiloxLanes<8> random_words8(uint64_t seed, int64_t step, const RngStream (&stream)[8], const uint32_t (&a)[8],
                             const uint32_t (&b)[8]) {
  return random_words_lanes<8>(seed, step, stream, a, b);
}

PhiloxLanes<8> random_words8(uint64_t seed, int64_t step, RngStream stream, const uint32_t (&a)[8], uint32_t b) {
  const RngStream streams[8] = {stream, stream, stream, stream, stream, stream, stream, stream};
  const uint32_t bs[8] = {b, b, b, b, b, b, b, b};
  return random_words_lanes<8>(seed, step, streams, a, bs);
}

}  // namespace live2::sim
