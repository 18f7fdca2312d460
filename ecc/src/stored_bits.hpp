// Internal: the walk over every stored bit of a quantized tensor in stream order (ecc/protection_layout.hpp), shared
// by gather, scatter and the footprint. Works on const and mutable tensors alike.
#pragma once
#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "ecc/protection_layout.hpp"
#include "numerics/quant_spec.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::ecc::detail {

// Schemes whose tensor scale is part of the stored data (the others keep tensor_scale = 1).
inline bool stores_tensor_scale(Scheme s) {
  return s == Scheme::NVFP4 || s == Scheme::FP4Tensor || s == Scheme::FP8;
}

struct StoredShape {
  int code_bits = 4;
  int scale_bits = 0;     // 0 when the scheme has no block scale
  int block = 16;
  bool blocks_interleaved = true;  // 1-D blocks: each block's codes are followed by its scale
  int64_t scale_count = 0;
};

inline StoredShape stored_shape(const QuantizedTensor& q) {
  StoredShape s;
  s.code_bits = code_bits(q.spec.scheme);
  s.scale_bits = has_block_scale(q.spec.scheme) ? 8 * scale_bytes(q.spec.scheme) : 0;
  s.block = q.spec.block;
  s.blocks_interleaved = s.scale_bits > 0 && !q.spec.block_2d;
  s.scale_count = static_cast<int64_t>(q.scales.size()) / (s.scale_bits > 0 ? s.scale_bits / 8 : 1);
  if (s.scale_bits == 0) s.scale_count = 0;
  return s;
}

// Calls fn(Field, byte&, bit_in_byte) for every stored bit whose protection equals `want_protected`, in stream
// order. `ts_bytes` holds the 4 bytes of the tensor scale (copied by the caller, written back for scatter).
template <class Tensor, class TsBytes, class Fn>
void for_each_stored_bit(Tensor& q, const ProtectionLayout& layout, bool want_protected, TsBytes& ts_bytes, Fn&& fn) {
  const StoredShape sh = stored_shape(q);
  const int64_t stride = q.row_stride_bytes();
  auto& codes = q.codes;
  auto& scales = q.scales;
  auto visit_code = [&](int64_t r, int64_t c) {
    for (int b = 0; b < sh.code_bits; ++b) {
      if ((((layout.code_mask >> b) & 1u) != 0) != want_protected) continue;
      if (sh.code_bits == 4) {
        fn(Field::Codes, codes[static_cast<size_t>(r * stride + c / 2)], static_cast<int>((c & 1) * 4 + b));
      } else {
        const int64_t bytes_per = sh.code_bits / 8;
        fn(Field::Codes, codes[static_cast<size_t>(r * stride + c * bytes_per + b / 8)], b % 8);
      }
    }
  };
  auto visit_scale = [&](int64_t idx) {
    for (int b = 0; b < sh.scale_bits; ++b) {
      if ((((layout.scale_mask >> b) & 1u) != 0) != want_protected) continue;
      fn(Field::BlockScales, scales[static_cast<size_t>(idx * (sh.scale_bits / 8) + b / 8)], b % 8);
    }
  };
  if (sh.blocks_interleaved) {
    const int64_t bpr = q.blocks_per_row();
    for (int64_t r = 0; r < q.rows; ++r) {
      for (int64_t j = 0; j < bpr; ++j) {
        const int64_t c_end = std::min<int64_t>((j + 1) * sh.block, q.cols);
        for (int64_t c = j * sh.block; c < c_end; ++c) visit_code(r, c);
        visit_scale(r * bpr + j);
      }
    }
  } else {
    for (int64_t r = 0; r < q.rows; ++r) {
      for (int64_t c = 0; c < q.cols; ++c) visit_code(r, c);
    }
    for (int64_t i = 0; i < sh.scale_count; ++i) visit_scale(i);
  }
  if (stores_tensor_scale(q.spec.scheme) && layout.tensor_scale == want_protected) {
    for (int b = 0; b < 32; ++b) fn(Field::TensorScale, ts_bytes[b / 8], b % 8);
  }
}

}  // namespace nvfp4::ecc::detail
