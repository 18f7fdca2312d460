// One exact term of the block-scaled dot product: sa * sb * (exact sum of element products over a block or group),
// or a non-finite value when a scale or element is NaN/Inf (only reachable through fault injection or fp16 weights).
#pragma once
#include <cmath>
#include <cstdint>

#include "numerics/gemm/exact_fp32.hpp"

namespace nvfp4::gemm_detail {

struct ExactTerm {
  bool finite = true;
  float nonfinite = 0.0f;  // NaN or +-Inf when !finite (IEEE semantics of the same products in double)
  bool neg = false;
  u128 mag = 0;            // |value| = mag * 2^exp2
  int exp2 = 0;
  int scale_exp = 0;       // blackwell-mma only: exponent of sa plus exponent of sb, as MMA-Sim defines them

  static ExactTerm special(float v) {
    ExactTerm t;
    t.finite = false;
    t.nonfinite = v;
    return t;
  }
  // sum * sa * sb where sum = s * 2^unit_exp exactly (s a signed 64-bit integer) and sa, sb are finite floats.
  static ExactTerm product(int64_t s, int unit_exp, float sa, float sb) {
    const ScaledInt a = decompose(sa);
    const ScaledInt b = decompose(sb);
    ExactTerm t;
    t.neg = (s < 0) != (a.neg != b.neg);
    const uint64_t abs_s = s < 0 ? 0 - static_cast<uint64_t>(s) : static_cast<uint64_t>(s);
    t.mag = u128{abs_s} * a.mant * b.mant;  // < 2^64 * 2^24 * 2^24 ... fits: |s| < 2^53 in practice
    t.exp2 = unit_exp + a.exp2 + b.exp2;
    if (t.mag == 0) t.neg = false;
    return t;
  }
  // The fp32 round-to-nearest-even of the exact value (what fp32-seq and fixed:W add). Exact zero is +0.
  float to_fp32() const {
    if (!finite) return nonfinite;
    return fp32_from_scaled(neg, mag, exp2, Fp32Round::NearestEven);
  }
};

// Exponent of a block scale as MMA-Sim's extract_significand_exponent defines it: floor(log2 s) for normal values,
// the format's minimum exponent for subnormals (UE4M3: -6; UE8M0: -127, never subnormal), and -126 for zero.
inline int mmasim_scale_exponent(float s, int format_min_exp) {
  if (s == 0.0f) return -126;
  const ScaledInt d = decompose(s);
  const int floor_log2 = bit_length(d.mant) - 1 + d.exp2;
  return floor_log2 < format_min_exp ? format_min_exp : floor_log2;
}

}  // namespace nvfp4::gemm_detail
