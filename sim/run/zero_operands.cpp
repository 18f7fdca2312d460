#include "sim/run/zero_operands.hpp"

#include <array>

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
