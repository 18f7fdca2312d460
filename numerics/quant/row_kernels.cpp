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

NVFP4_SIMD_CLONES
void e2m1_rn_row_mul(const float* __restrict x, const float* __restrict f, int64_t n, uint8_t* __restrict out) {
  for (int64_t i = 0; i < n; ++i) out[i] = e2m1_rn_bits(bits_of(x[i] * f[i]));
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
