// Explicit 4-wide double vectors (GCC/Clang vector extensions) for the pair loops: AVX2 registers on x86-64-v3,
// pairs of SSE2 registers on baseline x86-64, NEON pairs on arm64. Lane sums are taken in a fixed order, so results do
// not depend on anything but the inputs.
#pragma once

#include <cmath>
#include <cstdint>

#if defined(__AVX__)
#include <immintrin.h>
#endif

namespace live2::sim {

using Double4 = double __attribute__((vector_size(32)));
using Mask4 = int64_t __attribute__((vector_size(32)));  // comparison results: all ones or zero per lane

inline Double4 splat(double v) { return Double4{v, v, v, v}; }

// Minimum image of a displacement with |d| < 1.5 box (positions lie at most skin/2 outside [0, box) between
// rebuilds): the value of d - box * nearbyint(d / box), without the division, as selects.
inline double minimum_image(double d, double box, double half_box) {
  d = d > half_box ? d - box : d;
  return d < -half_box ? d + box : d;
}

// The same per lane.
inline Double4 minimum_image4(Double4 d, Double4 box, Double4 half_box) {
  d = d > half_box ? d - box : d;
  return d < -half_box ? d + box : d;
}

// Square root per lane (correctly rounded, as std::sqrt).
inline Double4 sqrt4(Double4 v) {
#if defined(__AVX__)
  return reinterpret_cast<Double4>(_mm256_sqrt_pd(reinterpret_cast<__m256d>(v)));
#else
  return Double4{std::sqrt(v[0]), std::sqrt(v[1]), std::sqrt(v[2]), std::sqrt(v[3])};
#endif
}

// a * b + c: fused (rounded once) where the target has FMA, which is how the compiler contracts that expression in
// scalar code there; rounded twice otherwise. Spelled out so that a vector loop and its scalar tail round alike,
// whatever the compiler would contract.
inline Double4 multiply_add4(Double4 a, Double4 b, Double4 c) {
#if defined(__FMA__)
  return reinterpret_cast<Double4>(
      _mm256_fmadd_pd(reinterpret_cast<__m256d>(a), reinterpret_cast<__m256d>(b), reinterpret_cast<__m256d>(c)));
#else
  return a * b + c;
#endif
}
inline double multiply_add(double a, double b, double c) {
#if defined(__FMA__)
  return std::fma(a, b, c);
#else
  return a * b + c;
#endif
}

inline double lane_sum(Double4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// Bit i set where lane i of the comparison result is true.
inline uint32_t lane_bits(Mask4 m) {
#if defined(__AVX__)
  return static_cast<uint32_t>(_mm256_movemask_pd(reinterpret_cast<__m256d>(m)));
#else
  return static_cast<uint32_t>((m[0] & 1) | (m[1] & 2) | (m[2] & 4) | (m[3] & 8));
#endif
}

}  // namespace live2::sim
