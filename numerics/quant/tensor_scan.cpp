#include "numerics/quant/tensor_scan.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "numerics/error.hpp"
#include "numerics/quant/simd_clones.hpp"

namespace nvfp4::detail {
namespace {

constexpr uint32_t kInfBits = 0x7F800000u;

// Max of the magnitude bits of n floats. For non-negative floats the bit pattern order is the value order, and
// NaN patterns lie above Inf, so a result >= kInfBits flags a non-finite value somewhere in the span.
NVFP4_SIMD_CLONES
uint32_t span_max_bits(const float* x, int64_t n) {
  uint32_t m = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t b;
    std::memcpy(&b, x + i, sizeof b);
    b &= 0x7FFFFFFFu;
    m = b > m ? b : m;
  }
  return m;
}

// The bits of span_amax (below), inlined into both of its callers so a constant n vectorizes.
inline __attribute__((always_inline)) uint32_t span_amax_bits(const float* x, int64_t n) {
  uint32_t m = 0;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t b;
    std::memcpy(&b, x + i, sizeof b);
    b &= 0x7FFFFFFFu;
    b = b > kInfBits ? 0u : b;  // NaN ignored
    m = b > m ? b : m;
  }
  return m;
}

float bits_to_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

[[noreturn]] void refuse(const float* row, int64_t r, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c) {
    if (!std::isfinite(row[c])) {
      const std::string what = std::isnan(row[c]) ? "NaN" : (row[c] > 0 ? "+Inf" : "-Inf");
      throw Error("quantize: input element [" + std::to_string(r) + ", " + std::to_string(c) + "] (linear index " +
                  std::to_string(r * cols + c) + ") is " + what +
                  "; non-finite inputs are refused (enable follow_hardware_on_nonfinite to apply the hardware rules)");
    }
  }
  throw Error("quantize: internal error locating a non-finite input");
}

}  // namespace

void check_shape(int64_t rows, int64_t cols) {
  if (rows <= 0 || cols <= 0)
    throw Error("quantize: shape " + std::to_string(rows) + " x " + std::to_string(cols) + " must be positive");
}

float span_amax(const float* x, int64_t n) { return bits_to_float(span_amax_bits(x, n)); }

#if NVFP4_AVX2_KERNELS
namespace {
// span_amax_bits of whole 16-element blocks, 8 blocks per step: per block the larger magnitude of its two halves (NaN
// as 0), then the 8 blocks' 8 lanes are reduced together by transposing max steps. Returns the blocks done.
__attribute__((target("avx2"))) __m256i magnitudes8(const float* p) {
  const __m256i b = _mm256_and_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
                                     _mm256_set1_epi32(0x7FFFFFFF));
  return _mm256_andnot_si256(_mm256_cmpgt_epi32(b, _mm256_set1_epi32(kInfBits)), b);  // NaN ignored
}

__attribute__((target("avx2"))) int64_t block16_amaxes_avx2(const float* x, int64_t blocks, float* out) {
  int64_t k = 0;
  for (; k + 8 <= blocks; k += 8) {
    __m256i v[8];
    for (int j = 0; j < 8; ++j) {
      const float* b = x + (k + j) * 16;
      v[j] = _mm256_max_epu32(magnitudes8(b), magnitudes8(b + 8));
    }
    // Interleave pairs and take the lane-wise max: each step halves the vectors, keeping the blocks' lanes apart.
    for (int j = 0; j < 4; ++j) {  // -> blocks 2j, 2j + 1 alternating, 4 lanes each
      v[j] = _mm256_max_epu32(_mm256_unpacklo_epi32(v[2 * j], v[2 * j + 1]),
                              _mm256_unpackhi_epi32(v[2 * j], v[2 * j + 1]));
    }
    for (int j = 0; j < 2; ++j) {  // -> blocks 4j .. 4j + 3 in each 128-bit half
      v[j] = _mm256_max_epu32(_mm256_unpacklo_epi64(v[2 * j], v[2 * j + 1]),
                              _mm256_unpackhi_epi64(v[2 * j], v[2 * j + 1]));
    }
    const __m256i lo = _mm256_permute2x128_si256(v[0], v[1], 0x20), hi = _mm256_permute2x128_si256(v[0], v[1], 0x31);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + k), _mm256_max_epu32(lo, hi));  // blocks k .. k + 7
  }
  return k;
}
}  // namespace
#endif

void block_amaxes(const float* x, int64_t n, int64_t block, float* out) {
  int64_t kb = 0;
  if (block == 16) {  // NVFP4's block
#if NVFP4_AVX2_KERNELS
    if (cpu_has_avx2()) kb = block16_amaxes_avx2(x, n / 16, out);
#endif
    for (; (kb + 1) * 16 <= n; ++kb) out[kb] = bits_to_float(span_amax_bits(x + kb * 16, 16));
  }
  for (int64_t c0 = kb * block; c0 < n; c0 += block, ++kb)
    out[kb] = bits_to_float(span_amax_bits(x + c0, std::min(block, n - c0)));
}

float tensor_amax(const float* x, int64_t rows, int64_t cols, bool follow_hardware, int64_t r0) {
  uint32_t m = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    uint32_t rm = span_max_bits(row, cols);
    if (rm >= kInfBits) {
      if (!follow_hardware) refuse(row, r0 + r, cols);
      const float finite_or_inf_max = span_amax(row, cols);
      std::memcpy(&rm, &finite_or_inf_max, sizeof rm);
    }
    m = rm > m ? rm : m;
  }
  return bits_to_float(m);
}

void check_finite(const float* x, int64_t rows, int64_t cols, bool follow_hardware, int64_t r0) {
  if (follow_hardware) return;
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    if (span_max_bits(row, cols) >= kInfBits) refuse(row, r0 + r, cols);
  }
}

}  // namespace nvfp4::detail
