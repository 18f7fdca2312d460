#include "numerics/quant/row_kernels.hpp"

#include <cstring>

#include "numerics/formats/e2m1_fast.hpp"
#include "numerics/quant/element_codes.hpp"
#include "numerics/quant/simd_clones.hpp"

namespace nvfp4::detail {
namespace {

inline uint32_t bits_of(float v) {
  uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

}  // namespace

#if NVFP4_AVX2_KERNELS
namespace {
// e2m1_rn_bits of 8 products x * f, one per 32-bit lane. Each compare with kE2M1RnAbove is 0 / -1 per lane, so
// subtracting it counts the thresholds passed. Same compares on the same products: the same codes.
__attribute__((target("avx2"), always_inline)) inline __m256i e2m1_rn_codes8(const float* x, __m256 f) {
  const __m256i bits = _mm256_castps_si256(_mm256_mul_ps(_mm256_loadu_ps(x), f));
  const __m256i ab = _mm256_and_si256(bits, _mm256_set1_epi32(0x7FFFFFFF));
  __m256i m = _mm256_setzero_si256();
  for (int32_t t : kE2M1RnAbove) m = _mm256_sub_epi32(m, _mm256_cmpgt_epi32(ab, _mm256_set1_epi32(t)));
  const __m256i nan = _mm256_cmpgt_epi32(ab, _mm256_set1_epi32(0x7F800000));
  const __m256i sign = _mm256_andnot_si256(nan, _mm256_srli_epi32(bits, 31));  // NaN loses its sign
  return _mm256_or_si256(m, _mm256_slli_epi32(sign, 3));
}

// The codes of x[0..32) times the factors of its four groups of 8, as 32 bytes in element order (inlined: a call
// passing four vectors cost as much as the kernel).
__attribute__((target("avx2"), always_inline)) inline __m256i e2m1_rn_codes32(const float* x, __m256 f0, __m256 f1,
                                                                              __m256 f2, __m256 f3) {
  const __m256i lo = _mm256_packs_epi32(e2m1_rn_codes8(x, f0), e2m1_rn_codes8(x + 8, f1));
  const __m256i hi = _mm256_packs_epi32(e2m1_rn_codes8(x + 16, f2), e2m1_rn_codes8(x + 24, f3));
  const __m256i bytes = _mm256_packus_epi16(lo, hi);  // 32-bit groups hold elements 0 2 4 6 1 3 5 7 (x 4)
  return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

// 32 elements per step, narrowed to bytes once (the auto-vectorized scalar loop narrowed every compare, ~3x the
// instructions); returns how many elements it did.
__attribute__((target("avx2"))) int64_t e2m1_rn_row_mul_avx2(const float* x, const float* f, int64_t n,
                                                              uint8_t* out) {
  int64_t i = 0;
  for (; i + 32 <= n; i += 32) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i),
                        e2m1_rn_codes32(x + i, _mm256_loadu_ps(f + i), _mm256_loadu_ps(f + i + 8),
                                        _mm256_loadu_ps(f + i + 16), _mm256_loadu_ps(f + i + 24)));
  }
  return i;
}

// Blocks of 16 with one factor each, 32 elements (two blocks) per step, the codes packed two per byte as
// pack_nibbles does (element 2i in the low nibble): no per-element factor array, no code buffer.
__attribute__((target("avx2"))) int64_t e2m1_rn_blocks16_mul_packed_avx2(const float* x, const float* block_factor,
                                                                          int64_t n, uint8_t* out) {
  int64_t i = 0;
  const __m256i nibbles = _mm256_set1_epi16(0x1001);  // maddubs weights (1, 16): even code + 16 x odd code
  for (; i + 32 <= n; i += 32) {
    const __m256 f0 = _mm256_set1_ps(block_factor[i / 16]), f1 = _mm256_set1_ps(block_factor[i / 16 + 1]);
    const __m256i codes = e2m1_rn_codes32(x + i, f0, f0, f1, f1);
    const __m256i pairs = _mm256_maddubs_epi16(codes, nibbles);  // 16 bytes' worth in 16-bit lanes, in order
    const __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(pairs, pairs), 0x08);  // lanes 0, 2
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i / 2), _mm256_castsi256_si128(bytes));
  }
  return i;
}
}  // namespace
#endif

void e2m1_rn_row_mul(const float* __restrict x, const float* __restrict f, int64_t n, uint8_t* __restrict out) {
  int64_t i = 0;
#if NVFP4_AVX2_KERNELS
  if (cpu_has_avx2()) i = e2m1_rn_row_mul_avx2(x, f, n, out);
#endif
  for (; i < n; ++i) out[i] = e2m1_rn_bits(bits_of(x[i] * f[i]));
}

int64_t e2m1_rn_blocks16_mul_packed(const float* x, const float* block_factor, int64_t n, uint8_t* out) {
#if NVFP4_AVX2_KERNELS
  if (cpu_has_avx2()) return e2m1_rn_blocks16_mul_packed_avx2(x, block_factor, n, out);
#endif
  (void)x, (void)block_factor, (void)n, (void)out;
  return 0;
}

NVFP4_SIMD_CLONES
void e2m1_rn_row_div(const float* __restrict x, const float* __restrict f, int64_t n, uint8_t* __restrict out) {
  for (int64_t i = 0; i < n; ++i) out[i] = e2m1_rn_bits(bits_of(x[i] / f[i]));
}

NVFP4_SIMD_CLONES
void e2m1_rn_row_div_unsigned_zero(const float* __restrict x, const float* __restrict f, int64_t n,
                                   uint8_t* __restrict out) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i] / f[i];
    const uint8_t c = e2m1_rn_bits(bits_of(v));
    out[i] = v == 0.0f ? uint8_t{0} : c;
  }
}

NVFP4_SIMD_CLONES
void e2m1_sr_row_mul(const float* __restrict x, const float* __restrict f, const uint32_t* __restrict u, int64_t n,
                     uint8_t* __restrict out) {
  for (int64_t i = 0; i < n; ++i) out[i] = e2m1_sr_bits(bits_of(x[i] * f[i]), u[i]);
}

NVFP4_SIMD_CLONES
void e2m1_sr_row_div(const float* __restrict x, const float* __restrict f, const uint32_t* __restrict u, int64_t n,
                     uint8_t* __restrict out) {
  for (int64_t i = 0; i < n; ++i) out[i] = e2m1_sr_bits(bits_of(x[i] / f[i]), u[i]);
}

NVFP4_SIMD_CLONES
void e2m1_sr_row_div_unsigned_zero(const float* __restrict x, const float* __restrict f,
                                   const uint32_t* __restrict u, int64_t n, uint8_t* __restrict out) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = x[i] / f[i];
    const uint8_t c = e2m1_sr_bits(bits_of(v), u[i]);
    out[i] = v == 0.0f ? uint8_t{0} : c;
  }
}

NVFP4_SIMD_CLONES
void pack_nibbles(const uint8_t* __restrict codes, int64_t n, uint8_t* __restrict out) {
  const int64_t pairs = n / 2;
  for (int64_t i = 0; i < pairs; ++i)
    out[i] = static_cast<uint8_t>((codes[2 * i] & 0xF) | ((codes[2 * i + 1] & 0xF) << 4));
  if (n & 1) out[pairs] = static_cast<uint8_t>(codes[n - 1] & 0xF);
}

}  // namespace nvfp4::detail
