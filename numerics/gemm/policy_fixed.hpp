// Accumulation policy `fixed:W:F` (NVFP4_SPEC.md section 5, numerics/gemm.hpp): the edge MAC array's own accumulator,
// a W-bit two's-complement register with F fractional bits that saturates instead of wrapping.
//   t_k  = floor(term_k * 2^F)            (term_k the fp32 RNE term; floor = arithmetic shift right)
//   acc  = clamp(acc + t_k, -2^(W-1), 2^(W-1) - 1)
//   D    = fp32( fp32_rn(acc * 2^-F) * fp32(s_tA * s_tB) )
// A term of +-Inf saturates; a NaN term makes D the canonical NaN 0x7FC00000.
#pragma once
#include "numerics/gemm/exact_term.hpp"
#include "numerics/gemm/policy_fp32_seq.hpp"

namespace nvfp4::gemm_detail {

class FixedAccumulator {
 public:
  FixedAccumulator(int width, int frac)
      : frac_(frac), max_((i128{1} << (width - 1)) - 1), min_(-(i128{1} << (width - 1))) {}

  void add(const ExactTerm& t) {
    const float f = t.to_fp32();
    if (std::isnan(f)) {
      nan_ = true;
      return;
    }
    acc_ = clamp(acc_ + floor_scaled(f));
  }
  // The same for a term already known to be an exact fp32 value (-1)^neg * mag * 2^exp2 (mag < 2^24, no underflow):
  // the fast E2M1 driver passes its integer block terms here without a float round trip.
  void add_exact(bool neg, uint64_t mag, int exp2) { acc_ = clamp(acc_ + floor_scaled(neg, mag, exp2)); }

  float finish(float tensor_scale) const { return finish_raw(static_cast<int64_t>(acc_), frac_, nan_, tensor_scale); }

  // D from a register value: fp32( fp32_rn(acc * 2^-F) * s_t ), or the canonical NaN.
  static float finish_raw(int64_t acc, int frac, bool nan, float tensor_scale) {
    if (nan) return std::bit_cast<float>(kCanonicalNan);
    const bool neg = acc < 0;
    const u128 mag = static_cast<u128>(neg ? -static_cast<i128>(acc) : static_cast<i128>(acc));
    const float v = fp32_from_scaled(neg, mag, -frac, Fp32Round::NearestEven);
    return canonical_nan_if((v == 0.0f ? 0.0f : v) * tensor_scale, kCanonicalNan);
  }

  int64_t raw() const { return static_cast<int64_t>(acc_); }

 private:
  // Anything beyond +-2^70 saturates any W <= 64 register the same way, so larger values are clamped to it first.
  static constexpr int kClampBits = 70;

  i128 floor_scaled(float f) const {
    const i128 big = i128{1} << kClampBits;
    if (std::isinf(f)) return f > 0 ? big : -big;
    const ScaledInt d = decompose(f);
    return floor_scaled(d.neg, d.mant, d.exp2);
  }
  // floor((-1)^neg * mant * 2^(exp2 + F)), clamped to +-2^70.
  i128 floor_scaled(bool neg, uint64_t mant, int exp2) const {
    const int shift = exp2 + frac_;
    i128 m = mant;
    if (mant == 0) return 0;
    if (shift >= 0) {
      m = bit_length(mant) + shift > kClampBits ? i128{1} << kClampBits : m << shift;
      return neg ? -m : m;
    }
    if (shift <= -64) return neg ? -1 : 0;                      // floor of a tiny value: 0 or -1
    if (!neg) return m >> -shift;
    return -((m + (i128{1} << -shift) - 1) >> -shift);          // floor(-x) = -ceil(x)
  }
  i128 clamp(i128 v) const { return v > max_ ? max_ : (v < min_ ? min_ : v); }

  int frac_;
  i128 max_, min_;
  i128 acc_ = 0;
  bool nan_ = false;
};

}  // namespace nvfp4::gemm_detail
