// Checks a GEMM's operands and policy before any arithmetic, and describes how the reduction is cut into terms.
#pragma once
#include <cstdint>

#include "numerics/gemm.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::gemm_detail {

struct GemmPlan {
  int64_t m = 0, n = 0, k = 0;
  // Elements per term: the block of the block-scaled operand(s); 16 (one NVFP4 engine) when neither is block scaled.
  int chunk = 16;
  bool a_e2m1 = true, b_e2m1 = true;  // elements are E2M1 codes (nvfp4, mxfp4, fp4, fp4-tensor)
  int a_unit_exp = -1, b_unit_exp = -1;  // element value = integer * 2^unit_exp (E2M1 in half units)
  int a_scale_min_exp = 0, b_scale_min_exp = 0;  // MMA-Sim's minimum exponent of the block-scale format
  float tensor_scale = 1.0f;  // fp32(s_tA * s_tB)
};

// Throws nvfp4::Error naming the problem: K = 0, mismatched K (both shapes), unsupported scheme pair, different
// block sizes (both), a policy the scheme pair cannot use, out-of-range fixed:W:F, or storage of the wrong size.
GemmPlan plan_gemm(const QuantizedTensor& a, const QuantizedTensor& b, const AccumPolicy& policy);

bool is_e2m1_scheme(Scheme s);

}  // namespace nvfp4::gemm_detail
