// Exact conversions from scaled integers to fp32, the one place where the golden GEMM rounds.
// A value is (-1)^neg * mag * 2^exp2 with mag an exact unsigned 128-bit integer; the result is that value rounded ONCE
// to fp32 (subnormals included), so no double rounding can sneak in through intermediate types.
#pragma once
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace nvfp4::gemm_detail {

using u128 = unsigned __int128;
using i128 = __int128;

enum class Fp32Round : uint8_t { NearestEven, TowardZero };

inline int bit_length(u128 x) {
  const uint64_t hi = static_cast<uint64_t>(x >> 64);
  const uint64_t lo = static_cast<uint64_t>(x);
  return hi ? 128 - std::countl_zero(hi) : 64 - std::countl_zero(lo);
}

// (-1)^neg * mag * 2^exp2 rounded to fp32. Zero keeps the sign `neg`. Magnitudes that round to 2^128 or more give
// +-Inf (for TowardZero too: that is what the MMA-Sim model produces on overflow, see docs/gemm.md).
inline float fp32_from_scaled(bool neg, u128 mag, int exp2, Fp32Round mode) {
  if (mag == 0) return neg ? -0.0f : 0.0f;
  const int top = bit_length(mag) - 1 + exp2;          // value in [2^top, 2^(top+1))
  const int lsb = top >= -126 ? top - 23 : -149;       // weight of the last kept bit (fp32 normal or subnormal grid)
  const int drop = lsb - exp2;                         // low bits of mag that fall below the grid
  uint64_t kept;
  if (drop <= 0) {
    kept = static_cast<uint64_t>(mag) << -drop;        // exact: at most 24 significant bits
  } else if (drop > 128) {
    kept = 0;                                           // far below half an ulp of the smallest subnormal
  } else {
    const u128 q = drop == 128 ? 0 : mag >> drop;
    const u128 rem = drop == 128 ? mag : mag - (q << drop);
    kept = static_cast<uint64_t>(q);
    if (mode == Fp32Round::NearestEven) {
      const u128 half = u128{1} << (drop - 1);
      if (rem > half || (rem == half && (kept & 1))) ++kept;
    }
  }
  // kept <= 2^24 and lsb >= -149: ldexp is exact, or overflows to Inf.
  const float r = std::ldexp(static_cast<float>(kept), lsb);
  return neg ? -r : r;
}

// Exact decomposition of a finite float: f = (-1)^neg * mant * 2^exp2 with mant odd (or zero).
struct ScaledInt {
  bool neg = false;
  uint32_t mant = 0;
  int exp2 = 0;
};

inline ScaledInt decompose(float f) {
  ScaledInt s;
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  s.neg = bits >> 31;
  const uint32_t e = (bits >> 23) & 0xFF;
  uint32_t m = bits & 0x7FFFFF;
  int x = -149;
  if (e != 0) {
    m |= 0x800000;
    x = static_cast<int>(e) - 150;
  }
  if (m != 0) {
    const int tz = std::countr_zero(m);
    m >>= tz;
    x += tz;
  }
  s.mant = m;
  s.exp2 = m ? x : 0;
  return s;
}

}  // namespace nvfp4::gemm_detail
