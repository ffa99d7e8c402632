#include "counter_rng.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace live2::sim {

Philox4x32Lanes random_words4(uint64_t seed, int64_t step, const RngStream (&stream)[4], const uint32_t (&a)[4],
                              const uint32_t (&b)[4]) {
  const uint64_t s = static_cast<uint64_t>(step);
  const uint32_t counter0 = static_cast<uint32_t>(s);
  uint32_t counter1[4];
  for (int lane = 0; lane < 4; ++lane) {
    counter1[lane] = static_cast<uint32_t>(s >> 32) ^ (static_cast<uint32_t>(stream[lane]) << 24);
  }
  Philox4x32Lanes out;
#if defined(__AVX2__)
  // Each 64-bit lane holds one 32-bit word; _mm256_mul_epu32 multiplies the low halves into the full 64-bit product,
  // exactly the scalar round's (uint64_t)kMul * word.
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  const __m256i low = _mm256_set1_epi64x(0xFFFFFFFFll), mul0 = _mm256_set1_epi64x(kMul0),
                mul1 = _mm256_set1_epi64x(kMul1);
  __m256i x0 = _mm256_set1_epi64x(counter0);
  __m256i x1 = _mm256_set_epi64x(counter1[3], counter1[2], counter1[1], counter1[0]);
  __m256i x2 = _mm256_set_epi64x(a[3], a[2], a[1], a[0]), x3 = _mm256_set_epi64x(b[3], b[2], b[1], b[0]);
  uint32_t key0 = static_cast<uint32_t>(seed), key1 = static_cast<uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    const __m256i product0 = _mm256_mul_epu32(x0, mul0), product1 = _mm256_mul_epu32(x2, mul1);
    x0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product1, 32), x1), _mm256_set1_epi64x(key0));
    x1 = _mm256_and_si256(product1, low);
    x2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(product0, 32), x3), _mm256_set1_epi64x(key1));
    x3 = _mm256_and_si256(product0, low);
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  alignas(32) uint64_t lanes[4][4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[0]), x0);
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[1]), x1);
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[2]), x2);
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes[3]), x3);
  for (int k = 0; k < 4; ++k) {
    for (int lane = 0; lane < 4; ++lane) out.word[k][lane] = static_cast<uint32_t>(lanes[k][lane]);
  }
#else
  for (int lane = 0; lane < 4; ++lane) {
    const Philox4x32 words = philox4x32({counter0, counter1[lane], a[lane], b[lane]}, seed);
    for (int k = 0; k < 4; ++k) out.word[k][lane] = words[k];
  }
#endif
  return out;
}

}  // namespace live2::sim
