// The engine's accumulator, with the policies of numerics/gemm.hpp (NVFP4_SPEC.md section 5), bit for bit:
//   fp32-seq:   acc = fp32_rn(acc + term)                         final = fp32(acc * ts)
//   fixed:W:F:  acc = saturate_W(acc + floor(term * 2^F))         final = fp32(fp32_rn(acc * 2^-F) * ts)
// term is the fp32 block term; ts = fp32(s_tA * s_tB). A NaN result is the canonical 0x7FC00000. blackwell-mma is not a datapath of this engine: refused.
#pragma once
#include <cstdint>

#include "numerics/gemm.hpp"

namespace nvfp4::lut {

inline constexpr uint32_t kCanonicalNanBits = 0x7FC00000u;  // every NaN result of the engine (as numerics::gemm)

class Accumulator {
 public:
  explicit Accumulator(const AccumPolicy& policy);  // throws nvfp4::Error naming the policy when unsupported
  void clear();
  void add(float term);         // one accumulator update
  float result(float tensor_scale_product) const;
  // The raw register: fp32 bits (fp32-seq) or the W-bit two's-complement value sign-extended (fixed). The RTL's
  // accumulator register holds exactly this.
  uint64_t register_bits() const;
  bool saturated() const { return saturated_; }  // sticky: a fixed-point update clipped
  bool nan() const { return nan_; }              // fixed: a NaN term arrived (the result is NaN)
  // fixed: loads the register with a W-bit value (for checkers and simulators that restore state).
  void load_fixed(int64_t value);
  const AccumPolicy& policy() const { return policy_; }

 private:
  AccumPolicy policy_;
  float acc_f_ = 0.0f;
  int64_t acc_i_ = 0;
  bool nan_ = false;  // fixed: a NaN term poisons the result (no fixed-point encoding exists)
  bool saturated_ = false;
};

// floor(x * 2^frac) for a finite float, clamped to [-2^126, 2^126] (wide enough to saturate any W <= 64).
__int128 floor_scaled(float x, int frac);

}  // namespace nvfp4::lut
