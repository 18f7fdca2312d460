// Builds QuantizedTensors code by code for the GEMM tests, so adversarial values (subnormal or zero scales, huge
// scales, cancelling blocks, NaN codes) are placed exactly where a test wants them, without going through a quantizer.
#pragma once
#include <bit>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "numerics/formats.hpp"
#include "numerics/quant_spec.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::test {

inline QuantizedTensor make_tensor(Scheme scheme, int64_t rows, int64_t cols, int block = 16, bool block_2d = false) {
  QuantizedTensor t;
  t.spec = QuantSpec::defaults_for(scheme);
  t.spec.block = block;
  t.spec.block_2d = block_2d;
  t.rows = rows;
  t.cols = cols;
  t.codes.assign(static_cast<size_t>(rows * t.row_stride_bytes()), 0);
  if (has_block_scale(scheme)) {
    const int64_t srows = block_2d ? (rows + 15) / 16 : rows;
    t.scales.assign(static_cast<size_t>(srows * t.blocks_per_row() * scale_bytes(scheme)), 0);
  }
  return t;
}

// Number of stored scale codes and setter (UE4M3 / UE8M0 one byte, int4 fp16 two bytes little-endian).
inline int64_t scale_count(const QuantizedTensor& t) {
  return has_block_scale(t.spec.scheme) ? static_cast<int64_t>(t.scales.size()) / scale_bytes(t.spec.scheme) : 0;
}
inline void set_scale(QuantizedTensor& t, int64_t index, uint32_t code) {
  if (scale_bytes(t.spec.scheme) == 1) {
    t.scales[index] = static_cast<uint8_t>(code);
  } else {
    t.scales[2 * index] = static_cast<uint8_t>(code);
    t.scales[2 * index + 1] = static_cast<uint8_t>(code >> 8);
  }
}
inline void set_fp16(QuantizedTensor& t, int64_t r, int64_t c, uint16_t bits) {
  const int64_t at = r * t.row_stride_bytes() + 2 * c;
  t.codes[at] = static_cast<uint8_t>(bits);
  t.codes[at + 1] = static_cast<uint8_t>(bits >> 8);
}

// Random element codes over the whole finite range of the scheme (no NaN/Inf).
inline void random_codes(QuantizedTensor& t, std::mt19937_64& rng) {
  for (int64_t r = 0; r < t.rows; ++r) {
    for (int64_t c = 0; c < t.cols; ++c) {
      switch (t.spec.scheme) {
        case Scheme::FP8: {
          uint8_t v;
          do v = static_cast<uint8_t>(rng()); while ((v & 0x7F) == 0x7F);
          t.set_code(r, c, v);
          break;
        }
        case Scheme::FP16: {
          uint16_t v;
          do v = static_cast<uint16_t>(rng()); while (((v >> 10) & 0x1F) == 0x1F);
          set_fp16(t, r, c, v);
          break;
        }
        default: t.set_code(r, c, static_cast<uint8_t>(rng() & 0xF)); break;
      }
    }
  }
}

// Random scale codes in [lo, hi] (UE4M3/UE8M0 codes), or random positive finite fp16 for int4.
inline void random_scales(QuantizedTensor& t, std::mt19937_64& rng, uint32_t lo, uint32_t hi) {
  for (int64_t i = 0; i < scale_count(t); ++i) {
    if (t.spec.scheme == Scheme::INT4) {
      uint16_t v;
      do v = static_cast<uint16_t>(rng() & 0x7FFF); while ((v >> 10) == 0x1F);
      set_scale(t, i, v);
    } else {
      set_scale(t, i, lo + static_cast<uint32_t>(rng() % (hi - lo + 1)));
    }
  }
}

inline std::string bits_of(float f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "0x%08X (%a)", std::bit_cast<uint32_t>(f), static_cast<double>(f));
  return buf;
}

// Bit-for-bit equality; on a mismatch names the first differing element (row, column) with both values.
inline void require_same_bits(const std::vector<float>& got, const std::vector<float>& want, int64_t cols,
                              const std::string& what) {
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::bit_cast<uint32_t>(got[i]) != std::bit_cast<uint32_t>(want[i])) {
      FAIL(what << ": first mismatch at D[" << i / cols << "][" << i % cols << "]: got " << bits_of(got[i])
                << ", want " << bits_of(want[i]));
    }
  }
}

// Guard against trivially equal outputs: the share of non-zero elements.
inline double nonzero_share(const std::vector<float>& d) {
  size_t nz = 0;
  for (float v : d) nz += v != 0.0f;
  return d.empty() ? 0.0 : static_cast<double>(nz) / static_cast<double>(d.size());
}

}  // namespace nvfp4::test
