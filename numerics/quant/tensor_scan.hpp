// Internal: the first streaming pass over a quantizer's input: the tensor amax A and the non-finite policy.
#pragma once
#include <cstdint>

namespace nvfp4::detail {

// Largest |x| over rows x cols. NaN is ignored (IEEE maxNum, as fmaxf-based amax kernels do) and +-Inf counts as Inf.
// When !follow_hardware, the first NaN/Inf in row-major order throws nvfp4::Error naming its position (x is row r0 of
// the tensor: the message counts rows from there).
float tensor_amax(const float* x, int64_t rows, int64_t cols, bool follow_hardware, int64_t r0 = 0);

// Throws nvfp4::Error naming the first NaN/Inf unless follow_hardware (for schemes that need no amax).
void check_finite(const float* x, int64_t rows, int64_t cols, bool follow_hardware, int64_t r0 = 0);

// Largest |x| of n values, NaN ignored. Branch-free over the raw bits so the loop vectorizes.
float span_amax(const float* x, int64_t n);

// span_amax of each block of a row of n values: out[kb] for elements [kb * block, min(n, (kb + 1) * block)).
void block_amaxes(const float* x, int64_t n, int64_t block, float* out);

// Throws nvfp4::Error when the shape is not positive.
void check_shape(int64_t rows, int64_t cols);

}  // namespace nvfp4::detail
