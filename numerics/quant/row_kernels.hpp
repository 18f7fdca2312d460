// Internal: the vectorized hot loops of round-to-nearest E2M1 quantization. Each row's per-block factors are first
// expanded to one factor per element (except for e2m1_rn_blocks16_mul_packed, which broadcasts them), so the loops
// below are plain element-wise kernels that compilers vectorize;
// on x86-64 the functions are compiled for AVX2 and for the baseline and picked at run time (same bits: the same
// IEEE fp32 multiply/divide and the same integer compares on every path).
#pragma once
#include <cstdint>

namespace nvfp4::detail {

// out[i] = E2M1 code of x[i] * f[i] (rn, satfinite, NaN -> 0x7).
void e2m1_rn_row_mul(const float* x, const float* f, int64_t n, uint8_t* out);
// Rows of 16-element blocks, block k's factor block_factor[k]: the codes of x[i] * block_factor[i / 16] packed as
// pack_nibbles packs them, for the first m elements, m a multiple of 32 (0 without AVX2); returns m. The caller
// does elements [m, n) with e2m1_rn_row_mul and pack_nibbles (m is even: out + m / 2 starts on a byte).
int64_t e2m1_rn_blocks16_mul_packed(const float* x, const float* block_factor, int64_t n, uint8_t* out);
// out[i] = E2M1 code of x[i] / f[i].
void e2m1_rn_row_div(const float* x, const float* f, int64_t n, uint8_t* out);
// As e2m1_rn_row_div, but a zero quotient that is not < 0 (-0.0) gives 0x0 (ModelOpt's cast).
void e2m1_rn_row_div_unsigned_zero(const float* x, const float* f, int64_t n, uint8_t* out);
// Stochastic-rounding versions: u[i] is element i's random word.
void e2m1_sr_row_mul(const float* x, const float* f, const uint32_t* u, int64_t n, uint8_t* out);
void e2m1_sr_row_div(const float* x, const float* f, const uint32_t* u, int64_t n, uint8_t* out);
void e2m1_sr_row_div_unsigned_zero(const float* x, const float* f, const uint32_t* u, int64_t n, uint8_t* out);
// Two codes per byte, element 2i in the low nibble; an odd final element leaves a zero pad nibble.
void pack_nibbles(const uint8_t* codes, int64_t n, uint8_t* out);

}  // namespace nvfp4::detail
