// The general golden GEMM path: any supported scheme pair, any policy, plain scalar C++. The fast E2M1 driver
// (fp4_gemm.hpp) must give the same bits; tests check both against an exact-arithmetic reference.
#pragma once
#include <cstdint>

#include "numerics/gemm.hpp"
#include "numerics/gemm/operands.hpp"

namespace nvfp4::gemm_detail {

// Computes the columns n_begin..n_end-1 of D (all M rows); d is M x N row-major.
void gemm_generic(const QuantizedTensor& a, const QuantizedTensor& b, const GemmPlan& plan, const AccumPolicy& policy,
                  float* d, int64_t n_begin, int64_t n_end);

}  // namespace nvfp4::gemm_detail
