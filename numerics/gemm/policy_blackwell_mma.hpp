// Accumulation policy `blackwell-mma`: a THIRD-PARTY MODEL of NVIDIA Blackwell block-scaled FP4 MMA, as
// reverse-engineered by microsoft/MMA-Sim (arXiv 2511.10909, mmasim/simulator/arithmetic.py,
// nv_fused_dot_add_with_block_scale with 35 fractional bits). It is not NVIDIA's documentation; see docs/gemm.md.
//
// Per chunk of 64 reduction elements, with C the running fp32 accumulator (C = +0 at the start):
//   terms   : one per group of 16 elements (B >= 16; a B = 32 block gives two groups with the same scales) or per
//             block (B < 16): value V_g = sa * sb * sum(qa * qb), exponent e_g = E(sa) + E(sb), where E is MMA-Sim's
//             exponent of a scale (mmasim_scale_exponent); C has value C and exponent e_C = E_fp32(C).
//   align   : Emax = max(e_C, e_g over the chunk's groups)
//   truncate: T = trunc(V * 2^(35 - Emax)) for each of the (usually five) terms, toward zero
//   sum     : S = sum of T, exact
//   round   : C = RZ_fp32(S * 2^(Emax - 35)); an exact zero is +0; |C| >= 2^128 gives +-Inf (as MMA-Sim does)
// Then D = fp32(C * fp32(s_tA * s_tB)). NaN anywhere (scale or C) gives 0x7FFFFFFF, MMA-Sim's NaN.
#pragma once
#include <array>
#include <bit>
#include <cmath>

#include "numerics/gemm/exact_term.hpp"
#include "numerics/gemm/policy_fp32_seq.hpp"

namespace nvfp4::gemm_detail {

constexpr uint32_t kMmaSimNan = 0x7FFFFFFFu;
constexpr int kMmaChunk = 64;       // reduction elements per MMA instruction (kind::mxf4nvf4, K = 64)
constexpr int kMmaGroup = 16;       // elements summed exactly before scaling
constexpr int kMmaFracBits = 35;    // fractional bits kept after alignment

class BlackwellMmaAccumulator {
 public:
  // Terms of the current chunk, in order; call end_chunk() after the chunk's last group.
  void add_group(const ExactTerm& t) {
    if (!t.finite) {
      nan_ = nan_ || std::isnan(t.nonfinite);
      return;  // group terms are finite for E2M1 x E2M1 with finite scales; Inf cannot arise (kept defensive)
    }
    terms_[count_++] = t;
  }

  void end_chunk() {
    if (nan_ || std::isinf(c_)) {
      count_ = 0;
      return;  // NaN and Inf accumulators are sticky
    }
    const ScaledInt c = decompose(c_);
    const int e_c = c_ == 0.0f ? -126 : std::max(bit_length(c.mant) - 1 + c.exp2, -126);
    int emax = e_c;
    for (int i = 0; i < count_; ++i) emax = std::max(emax, terms_[i].scale_exp);
    i128 sum = truncated(c.neg, c.mant, c.exp2, emax);
    for (int i = 0; i < count_; ++i) sum += truncated(terms_[i].neg, terms_[i].mag, terms_[i].exp2, emax);
    count_ = 0;
    const bool neg = sum < 0;
    const float r = fp32_from_scaled(neg, static_cast<u128>(neg ? -sum : sum), emax - kMmaFracBits,
                                     Fp32Round::TowardZero);
    c_ = r == 0.0f ? 0.0f : r;  // MMA-Sim's integer truncation loses the sign of zero
  }

  float accumulator() const { return nan_ ? std::bit_cast<float>(kMmaSimNan) : c_; }

  float finish(float tensor_scale) const {
    if (nan_) return std::bit_cast<float>(kMmaSimNan);
    return canonical_nan_if(c_ * tensor_scale, kMmaSimNan);
  }

 private:
  // trunc(+-mag * 2^exp2 * 2^(35 - emax)) as a signed integer (|result| < 2^50 for every reachable input).
  static i128 truncated(bool neg, u128 mag, int exp2, int emax) {
    const int shift = exp2 + kMmaFracBits - emax;
    u128 m;
    if (shift >= 0) {
      m = shift >= 100 ? 0 : mag << shift;  // shift >= 100 would need |V| >> 2^Emax: impossible, see header
    } else {
      m = -shift >= 128 ? 0 : mag >> -shift;
    }
    const i128 s = static_cast<i128>(m);
    return neg ? -s : s;
  }

  std::array<ExactTerm, kMmaChunk> terms_{};
  int count_ = 0;
  float c_ = 0.0f;
  bool nan_ = false;
};

}  // namespace nvfp4::gemm_detail
