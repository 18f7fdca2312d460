// Accumulation policy `fp32-seq` (NVFP4_SPEC.md section 5):
//   acc = +0; for k in increasing order: acc = fp32(acc + term_k); D = fp32(acc * fp32(s_tA * s_tB)).
// term_k is the fp32 round-to-nearest-even of the exact block term. A NaN result is the canonical 0x7FC00000.
#pragma once
#include <bit>
#include <cmath>

#include "numerics/gemm/exact_term.hpp"

namespace nvfp4::gemm_detail {

constexpr uint32_t kCanonicalNan = 0x7FC00000u;

inline float canonical_nan_if(float d, uint32_t nan_bits) {
  return std::isnan(d) ? std::bit_cast<float>(nan_bits) : d;
}

class Fp32SeqAccumulator {
 public:
  void add(const ExactTerm& t) { acc_ = acc_ + t.to_fp32(); }
  float finish(float tensor_scale) const { return canonical_nan_if(acc_ * tensor_scale, kCanonicalNan); }

 private:
  float acc_ = 0.0f;
};

}  // namespace nvfp4::gemm_detail
