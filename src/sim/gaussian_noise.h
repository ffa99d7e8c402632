// Standard normal numbers for the thermostat, four atoms at a time: Box-Muller, sqrt(-2 ln u1) (cos, sin)(2 pi u2),
// with u1 = (word_a + 1) / 2^32 in (0, 1] and the angle 2 pi (word_b + 1/2) / 2^32, from two Philox words per atom.
// The result is returned in parts, -2 ln u1 and the (cos, sin) pair, so that a caller scaling the numbers by
// sqrt(something) takes a single square root: sqrt(something * (-2 ln u1)).
// The logarithm and the sine / cosine are branch-free polynomials in explicit 4-wide vectors (vector4.h), accurate to
// a few 1e-15 against libm, at a fraction of the libm calls' cost (the thermostat draws a pair per atom and step).
// Callers must always evaluate whole groups of four with the same lane layout (e.g. atoms 4g .. 4g+3): a lane's value
// then never depends on which code path computed it, so results stay independent of the thread count. Thread safe.
#pragma once

#include <bit>
#include <cstdint>

#include "vector4.h"

namespace live2::sim {

// Two independent standard normal numbers per lane: sqrt(radius_squared) * cos_angle and sqrt(radius_squared) *
// sin_angle. radius_squared = -2 ln u1 (chi-squared with two degrees of freedom).
struct BoxMuller4 {
  Double4 radius_squared, cos_angle, sin_angle;
};

inline BoxMuller4 box_muller(const uint32_t (&word_a)[4], const uint32_t (&word_b)[4]) {
  constexpr double kLn2 = 0.6931471805599453, kSqrt2 = 1.4142135623730951, kHalfPi = 1.5707963267948966;
  // ln u1 = ln m + (e - 32) ln 2, word_a + 1 = m 2^e with m in [sqrt(1/2), sqrt(2)) (from the double's bits);
  // ln m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.172: the odd series to s^17 is exact to ~1e-16.
  const Double4 v = Double4{static_cast<double>(word_a[0]), static_cast<double>(word_a[1]),
                            static_cast<double>(word_a[2]), static_cast<double>(word_a[3])} + 1.0;
  const Mask4 bits = std::bit_cast<Mask4>(v);
  Mask4 exponent = (bits >> 52) - 1023;
  Double4 m = std::bit_cast<Double4>((bits & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000);
  const Mask4 high = m > kSqrt2;  // -1 (all ones) where true
  m = high ? 0.5 * m : m;
  exponent -= high;
  const Double4 s = (m - 1.0) / (m + 1.0), s2 = s * s;
  Double4 series = splat(1.0 / 17);
  for (int k = 15; k >= 1; k -= 2) series = series * s2 + 1.0 / k;
  const Double4 ln_u1 = 2.0 * s * series + __builtin_convertvector(exponent - 32, Double4) * kLn2;
  // Angle = q pi/2 + pi/4 + phi: quadrant q from the top two bits of word_b, phi in (-pi/4, pi/4) from the other 30;
  // Taylor series of sin and cos to phi^15 and phi^16 (error < 1e-16 at pi/4).
  const Mask4 quadrant = Mask4{word_b[0] >> 30, word_b[1] >> 30, word_b[2] >> 30, word_b[3] >> 30};
  const Double4 low = {static_cast<double>(word_b[0] & 0x3FFFFFFFu), static_cast<double>(word_b[1] & 0x3FFFFFFFu),
                       static_cast<double>(word_b[2] & 0x3FFFFFFFu), static_cast<double>(word_b[3] & 0x3FFFFFFFu)};
  const Double4 phi = ((low + 0.5) * (1.0 / 1073741824.0) - 0.5) * kHalfPi;
  const Double4 p2 = phi * phi;
  constexpr double kSin[] = {-1.0 / 1307674368000.0, 1.0 / 6227020800.0, -1.0 / 39916800.0, 1.0 / 362880.0,
                             -1.0 / 5040.0,          1.0 / 120.0,        -1.0 / 6.0,        1.0};
  constexpr double kCos[] = {1.0 / 20922789888000.0, -1.0 / 87178291200.0, 1.0 / 479001600.0, -1.0 / 3628800.0,
                             1.0 / 40320.0,          -1.0 / 720.0,         1.0 / 24.0,        -0.5, 1.0};
  Double4 sin_series = splat(kSin[0]), cos_series = splat(kCos[0]);
  for (int k = 1; k < 8; ++k) sin_series = sin_series * p2 + kSin[k];
  for (int k = 1; k < 9; ++k) cos_series = cos_series * p2 + kCos[k];
  const Double4 sin_phi = phi * sin_series;
  const Double4 c = (cos_series - sin_phi) * (1.0 / kSqrt2), sn = (cos_series + sin_phi) * (1.0 / kSqrt2);
  // (cos, sin) at pi/4 + phi, turned by q quarter turns: (c, s) -> (-s, c) per quarter.
  const Double4 cos_angle = quadrant == 0 ? c : (quadrant == 1 ? -sn : (quadrant == 2 ? -c : sn));
  const Double4 sin_angle = quadrant == 0 ? sn : (quadrant == 1 ? c : (quadrant == 2 ? -sn : -c));
  return {-2.0 * ln_u1, cos_angle, sin_angle};
}

}  // namespace live2::sim
