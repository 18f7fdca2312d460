// Reading E2M1 operands fast: code bytes to 2 x E2M1 values through a 256-entry table, block scales straight from
// the stored codes. Shared by the fast fp32-seq driver and the integer policy driver.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "numerics/formats.hpp"
#include "numerics/gemm/fp4_gemm.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::gemm_detail {

// 2 x E2M1 value of both nibbles of a code byte: low nibble first (one 2-byte store per code byte).
struct NibbleTable {
  std::array<std::array<int8_t, 2>, 256> v{};
  NibbleTable() {
    for (int byte = 0; byte < 256; ++byte) {
      v[byte][0] = static_cast<int8_t>(e2m1_to_half_units(static_cast<uint8_t>(byte & 0xF)));
      v[byte][1] = static_cast<int8_t>(e2m1_to_half_units(static_cast<uint8_t>(byte >> 4)));
    }
  }
};
static_assert(sizeof(std::array<int8_t, 2>) == 2);

// Decoded block scales straight from the stored codes (same rules as QuantizedTensor::scale, without per-call
// checks: the storage sizes were checked by plan_gemm).
class ScaleReader {
 public:
  ScaleReader(const QuantizedTensor& t, int chunk) : t_(t), chunk_(chunk), bpr_(t.blocks_per_row()) {
    scaled_ = has_block_scale(t.spec.scheme);
    same_ = chunk == t.spec.block;
    for (int c = 0; c < 256; ++c) {
      lut_[c] = t.spec.scheme == Scheme::MXFP4 ? ue8m0_to_float(static_cast<uint8_t>(c))
                                               : ue4m3_to_float(static_cast<uint8_t>(c));
    }
  }
  // Scale of row r for the term block holding element kb * chunk.
  float at(int64_t r, int64_t kb) const {
    if (!scaled_) return 1.0f;
    const int64_t block = same_ ? kb : kb * chunk_ / t_.spec.block;  // no division in the usual case
    const int64_t index = scale_grid_row(t_.spec, r) * bpr_ + block;
    return lut_[t_.scales[static_cast<size_t>(index)]];
  }
  // out[i * stride] = scale of row r for term block kb0 + i, times `mul` (a power of two), for i in [0, n).
  void row(int64_t r, int64_t kb0, int64_t n, float mul, float* out, int64_t stride) const {
    if (!scaled_ || !same_) {
      for (int64_t i = 0; i < n; ++i) out[i * stride] = at(r, kb0 + i) * mul;
      return;
    }
    const uint8_t* codes = t_.scales.data() + scale_grid_row(t_.spec, r) * bpr_ + kb0;
    for (int64_t i = 0; i < n; ++i) out[i * stride] = lut_[codes[i]] * mul;
  }

 private:
  const QuantizedTensor& t_;
  int chunk_;
  int64_t bpr_;
  bool scaled_ = false, same_ = false;
  std::array<float, 256> lut_{};
};

inline const NibbleTable& nibbles() {
  static const NibbleTable table;
  return table;
}

// MXFP4 scales 2^-61 .. 2^56 (and NaN) keep sa * sb / 4 and every term exact normal fp32 numbers: the smallest
// product is 2^-124, the largest term 2^56 * 2^56 / 4 * 36864 < 2^126, so no term overflows (an overflowing term
// would make a fused multiply-add differ from acc + term).
inline bool mx_scales_in_fast_range(const QuantizedTensor& t) {
  if (t.spec.scheme != Scheme::MXFP4) return true;
  return std::all_of(t.scales.begin(), t.scales.end(),
                     [](uint8_t c) { return c == 0xFF || (c >= 127 - 61 && c <= 127 + 56); });
}

// Unpacks K elements [k0, k1) of row r (4-bit codes) into `out` as 2 x value + offset, then fills `out` up to
// `padded` bytes with `offset` (a zero element).
inline void unpack_row(const QuantizedTensor& t, int64_t r, int64_t k0, int64_t k1, int8_t* out, int64_t padded,
                       int8_t offset = 0) {
  const uint8_t* row = t.codes.data() + r * t.row_stride_bytes();
  const auto& nt = nibbles().v;
  int64_t k = k0;
  int8_t* o = out;
  if (k & 1) {
    *o++ = static_cast<int8_t>(nt[row[k / 2]][1] + offset);
    ++k;
  }
  const int64_t simd = unpack_code_bytes_avx2(row + k / 2, (k1 - k) / 2, o, offset);  // k is even here
  k += 2 * simd, o += 2 * simd;
  // The last (fewer than 16) code bytes: through a local copy, so the shuffle never reads past the row.
  if (const int64_t left = (k1 - k) / 2; left > 0) {
    uint8_t in[16] = {};
    int8_t unpacked[32];
    std::memcpy(in, row + k / 2, static_cast<size_t>(left));
    if (unpack_code_bytes_avx2(in, 16, unpacked, offset) == 16) {
      std::memcpy(o, unpacked, static_cast<size_t>(2 * left));
      k += 2 * left, o += 2 * left;
    }
  }
  for (; k + 1 < k1; k += 2) {
    *o++ = static_cast<int8_t>(nt[row[k / 2]][0] + offset);
    *o++ = static_cast<int8_t>(nt[row[k / 2]][1] + offset);
  }
  if (k < k1) *o++ = static_cast<int8_t>(nt[row[k / 2]][0] + offset);
  std::fill(o, out + padded, offset);
}

}  // namespace nvfp4::gemm_detail
