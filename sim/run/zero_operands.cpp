#include "sim/run/zero_operands.hpp"

#include <algorithm>
#include <array>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "numerics/quant_spec.hpp"

namespace nvfp4::sim {
namespace {

// zero[c] = 1 when code c decodes to 0: value() of a one-row tensor of the same spec that holds every code once.
std::array<uint8_t, 256> zero_code_table(const QuantSpec& spec, int bits) {
  QuantizedTensor probe;
  probe.spec = spec;
  probe.rows = 1;
  probe.cols = 1 << bits;
  probe.codes.resize(static_cast<size_t>(probe.row_stride_bytes()));
  for (int c = 0; c < probe.cols; ++c) probe.set_code(0, c, static_cast<uint8_t>(c));
  std::array<uint8_t, 256> zero{};
  for (int c = 0; c < probe.cols; ++c) zero[static_cast<size_t>(c)] = probe.value(0, c) == 0.0f;
  return zero;
}

#if defined(__x86_64__)
// 4-bit codes, 32 code bytes (64 elements) per step: both nibbles looked up in the table by vpshufb, counted per byte
// position in 8-bit counters that are flushed every 255 rows.
__attribute__((target("avx2"))) void count_nibbles_avx2(const QuantizedTensor& t, const std::array<uint8_t, 256>& zero,
                                                        std::vector<uint64_t>& z) {
  const int64_t pairs = t.cols / 2, stride = t.row_stride_bytes(), wide = pairs / 32 * 32;
  std::vector<uint8_t> lo(static_cast<size_t>(pairs)), hi(static_cast<size_t>(pairs));
  alignas(32) uint8_t table[32];
  for (int c = 0; c < 32; ++c) table[c] = zero[static_cast<size_t>(c & 15)];
  const __m256i lut = _mm256_load_si256(reinterpret_cast<const __m256i*>(table));
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  for (int64_t r0 = 0; r0 < t.rows; r0 += 255) {
    std::fill(lo.begin(), lo.end(), uint8_t{0});
    std::fill(hi.begin(), hi.end(), uint8_t{0});
    for (int64_t r = r0; r < std::min(t.rows, r0 + 255); ++r) {
      const uint8_t* row = t.codes.data() + r * stride;
      for (int64_t j = 0; j < wide; j += 32) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + j));
        const __m256i l = _mm256_shuffle_epi8(lut, _mm256_and_si256(v, low4));
        const __m256i h = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(v, 4), low4));
        __m256i* pl = reinterpret_cast<__m256i*>(lo.data() + j);
        __m256i* ph = reinterpret_cast<__m256i*>(hi.data() + j);
        _mm256_storeu_si256(pl, _mm256_add_epi8(_mm256_loadu_si256(pl), l));
        _mm256_storeu_si256(ph, _mm256_add_epi8(_mm256_loadu_si256(ph), h));
      }
      for (int64_t j = wide; j < pairs; ++j) {
        lo[static_cast<size_t>(j)] += zero[row[j] & 0xF];
        hi[static_cast<size_t>(j)] += zero[row[j] >> 4];
      }
    }
    for (int64_t j = 0; j < pairs; ++j) {
      z[static_cast<size_t>(2 * j)] += lo[static_cast<size_t>(j)];
      z[static_cast<size_t>(2 * j + 1)] += hi[static_cast<size_t>(j)];
    }
  }
  if (t.cols & 1) {  // the last element, in the low nibble of the row's last byte
    for (int64_t r = 0; r < t.rows; ++r) z[static_cast<size_t>(t.cols - 1)] += zero[t.codes[r * stride + pairs] & 0xF];
  }
}

bool avx2() {
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return yes;
}
#endif

}  // namespace

std::vector<uint64_t> zero_codes_per_column(const QuantizedTensor& t) {
  std::vector<uint64_t> z(static_cast<size_t>(t.cols));
  const int bits = code_bits(t.spec.scheme);
  if (bits == 16) {
    for (int64_t r = 0; r < t.rows; ++r)
      for (int64_t k = 0; k < t.cols; ++k) z[static_cast<size_t>(k)] += t.value(r, k) == 0.0f;
    return z;
  }
  const std::array<uint8_t, 256> zero = zero_code_table(t.spec, bits);
#if defined(__x86_64__)
  if (bits == 4 && avx2()) {
    count_nibbles_avx2(t, zero, z);
    return z;
  }
#endif
  const int64_t stride = t.row_stride_bytes();
  // 32-bit counters per column, flushed before they could overflow (at most 2^32 - 1 rows between flushes).
  std::vector<uint32_t> count(static_cast<size_t>(t.cols));
  auto flush = [&] {
    for (size_t k = 0; k < count.size(); ++k) z[k] += count[k], count[k] = 0;
  };
  for (int64_t r = 0; r < t.rows; ++r) {
    const uint8_t* row = t.codes.data() + r * stride;
    if (bits == 8) {
      for (int64_t k = 0; k < t.cols; ++k) count[static_cast<size_t>(k)] += zero[row[k]];
    } else {
      const int64_t pairs = t.cols / 2;  // element 2j in the low nibble, 2j + 1 in the high nibble
      for (int64_t j = 0; j < pairs; ++j) {
        count[static_cast<size_t>(2 * j)] += zero[row[j] & 0xF];
        count[static_cast<size_t>(2 * j + 1)] += zero[row[j] >> 4];
      }
      if (t.cols & 1) count[static_cast<size_t>(t.cols - 1)] += zero[row[pairs] & 0xF];
    }
    if ((r & 0x7FFFFFFF) == 0x7FFFFFFF) flush();
  }
  flush();
  return z;
}

uint64_t zero_operand_products(const QuantizedTensor& a, const QuantizedTensor& b) {
  const std::vector<uint64_t> za = zero_codes_per_column(a), zb = zero_codes_per_column(b);
  uint64_t total = 0;
  for (size_t k = 0; k < za.size(); ++k) total += za[k] * uint64_t(b.rows) + zb[k] * uint64_t(a.rows) - za[k] * zb[k];
  return total;
}

}  // namespace nvfp4::sim
