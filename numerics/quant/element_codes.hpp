// Internal: element encoders used by the quantizers' row loops (NVFP4_SPEC.md section 3, rounding rn and sr).
// Each takes the already-scaled value v and returns the element code. Written branch-free so row loops vectorize.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

#include "numerics/formats/e2m1_fast.hpp"

namespace nvfp4::detail {

inline uint8_t sign_bit_of(float v) {
  uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return static_cast<uint8_t>(b >> 31);
}

// E2M1, round to nearest even, satfinite; NaN -> 0x7; the sign is kept on zero results (-0 -> 0x8).
inline uint8_t e2m1_rn(float v) {
  uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return e2m1_rn_bits(b);
}

// Stochastic-rounding decision of NVFP4_SPEC.md section 3: with lo <= |v| < hi neighbours on the grid and
// f = (|v| - lo) / (hi - lo) (exact), round away from zero iff (u >> 8) < f * 2^24.
inline bool sr_round_up(float a, float lo, float hi, uint32_t u) {
  const float f = (a - lo) / (hi - lo);
  return static_cast<float>(u >> 8) < f * 16777216.0f;
}

// E2M1 with stochastic rounding; |v| >= 6 saturates to 6 and NaN -> 0x7, as in rn. Branch-free so row loops
// vectorize: lo = |v| rounded toward zero (integer compares of the magnitude bits; NaN lands on 7), then
// f = (|v| - lo) * (1 / (hi - lo)), exact because hi - lo is a power of two (kE2M1InvStep; 0 at the top code, so a
// saturated value never rounds up).
inline constexpr float kE2M1InvStep[8] = {2.0f, 2.0f, 2.0f, 2.0f, 1.0f, 1.0f, 0.5f, 0.0f};

inline uint8_t e2m1_sr_bits(uint32_t bits, uint32_t u) {
  const int32_t ab = static_cast<int32_t>(bits & 0x7FFFFFFFu);
  const int32_t lo = (ab >= 0x3F000000) + (ab >= 0x3F800000) + (ab >= 0x3FC00000) + (ab >= 0x40000000) +
                     (ab >= 0x40400000) + (ab >= 0x40800000) + (ab >= 0x40C00000);
  float a;
  const uint32_t abu = static_cast<uint32_t>(ab);
  std::memcpy(&a, &abu, sizeof a);
  const float f = (a - kE2M1Values[lo]) * kE2M1InvStep[lo];
  const int32_t up = static_cast<float>(u >> 8) < f * 16777216.0f;  // NaN f compares false
  const int32_t sign = static_cast<int32_t>(bits >> 31) & (ab <= 0x7F800000);
  return static_cast<uint8_t>((lo + up) | (sign << 3));
}

inline uint8_t e2m1_sr(float v, uint32_t u) {
  uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return e2m1_sr_bits(b, u);
}

// Symmetric int4 (-7..7, two's complement nibble): round half to even, saturate at +-7; NaN -> 0.
inline uint8_t int4_rn(float v) {
  float a = std::fabs(v);
  a = a > 7.0f ? 7.0f : a;                        // also maps +Inf to 7
  const float r = (a + 12582912.0f) - 12582912.0f;  // 1.5 * 2^23: adding it rounds a (< 2^22) to an integer, RNE
  int q = static_cast<int>(r);
  q = v != v ? 0 : q;
  q = sign_bit_of(v) ? -q : q;
  return static_cast<uint8_t>(q & 0xF);
}

inline uint8_t int4_sr(float v, uint32_t u) {
  if (v != v) return 0;
  const float a = std::fabs(v);
  int q;
  if (a >= 7.0f) {
    q = 7;
  } else {
    const float lo = std::floor(a);
    q = static_cast<int>(lo) + sr_round_up(a, lo, lo + 1.0f, u);
  }
  q = sign_bit_of(v) ? -q : q;
  return static_cast<uint8_t>(q & 0xF);
}

}  // namespace nvfp4::detail
