#include "numerics/quant/block_scaled.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/quant/philox_batch.hpp"
#include "numerics/quant/element_codes.hpp"
#include "numerics/quant/row_kernels.hpp"
#include "numerics/quant/tensor_scan.hpp"

namespace nvfp4::detail {
namespace {

// The generic per-block element loop (int4, and any element kind without a row kernel in row_kernels.hpp): encodes
// n elements of one block into one code per byte. `words` holds the elements' SR random words (sr only).
template <bool Divide, ElementKind Kind, bool SR>
void encode_span(const float* x, int64_t n, float factor, uint8_t* out, const uint32_t* words) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = Divide ? x[i] / factor : x[i] * factor;
    uint8_t c;
    if constexpr (SR) {
      const uint32_t u = words[i];
      c = Kind == ElementKind::Int4 ? int4_sr(v, u) : e2m1_sr(v, u);
    } else {
      c = Kind == ElementKind::Int4 ? int4_rn(v) : e2m1_rn(v);
    }
    if constexpr (Kind == ElementKind::E2M1UnsignedZero) c = v == 0.0f ? uint8_t{0} : c;
    out[i] = c;
  }
}

using SpanEncoder = void (*)(const float*, int64_t, float, uint8_t*, const uint32_t*);

template <bool Divide, ElementKind Kind>
SpanEncoder pick_rounding(bool sr) {
  return sr ? &encode_span<Divide, Kind, true> : &encode_span<Divide, Kind, false>;
}

template <bool Divide>
SpanEncoder pick_kind(ElementKind k, bool sr) {
  switch (k) {
    case ElementKind::E2M1: return pick_rounding<Divide, ElementKind::E2M1>(sr);
    case ElementKind::E2M1UnsignedZero: return pick_rounding<Divide, ElementKind::E2M1UnsignedZero>(sr);
    case ElementKind::Int4: break;
  }
  return pick_rounding<Divide, ElementKind::Int4>(sr);
}

SpanEncoder pick_encoder(bool divide, ElementKind k, bool sr) {
  return divide ? pick_kind<true>(k, sr) : pick_kind<false>(k, sr);
}

void store_scale(std::vector<uint8_t>& scales, int64_t index, int bytes, uint32_t code) {
  scales[static_cast<size_t>(index * bytes)] = static_cast<uint8_t>(code);
  if (bytes == 2) scales[static_cast<size_t>(index * bytes + 1)] = static_cast<uint8_t>(code >> 8);
}

float decode_element(ElementKind k, uint8_t code) {
  if (k != ElementKind::Int4) return kE2M1Values[code & 0xF];
  const int v = code & 0xF;
  return static_cast<float>(v >= 8 ? v - 16 : v);
}

}  // namespace

BlockScaledQuantizer::BlockScaledQuantizer(const QuantSpec& spec, std::unique_ptr<BlockScaleRecipe> recipe)
    : spec_(spec), recipe_(std::move(recipe)) {
  spec_.validate();
}

float BlockScaledQuantizer::scan_rows(const float* x, int64_t r0, int64_t n, int64_t cols) const {
  const bool follow = spec_.follow_hardware_on_nonfinite;
  if (recipe_->needs_tensor_amax()) return tensor_amax(x, n, cols, follow, r0);
  check_finite(x, n, cols, follow, r0);
  return 0.0f;
}

QuantizedTensor BlockScaledQuantizer::begin(int64_t rows, int64_t cols, float amax) const {
  check_shape(rows, cols);
  QuantizedTensor q;
  q.spec = spec_;
  q.rows = rows;
  q.cols = cols;
  q.tensor_scale = recipe_->stored_tensor_scale(recipe_->tensor_constants(amax));
  const ScaleGrid grid = scale_grid(spec_, rows, cols);
  q.codes.assign(static_cast<size_t>(rows * q.row_stride_bytes()), 0);
  q.scales.assign(static_cast<size_t>(grid.rows * grid.cols * scale_bytes(spec_.scheme)), 0);
  return q;
}

void BlockScaledQuantizer::encode_rows(const float* x, int64_t r0, int64_t count, float amax,
                                       QuantizedTensor& q) const {
  const int64_t rows = q.rows, cols = q.cols;
  if (r0 < 0 || count < 0 || r0 + count > rows) throw Error("quantize: rows outside the tensor");
  if (spec_.block_2d && (r0 % kBlock2dSide != 0 || (count % kBlock2dSide != 0 && r0 + count != rows)))
    throw Error("quantize: 2-D block scales need chunks of whole 16-row bands");
  const TensorConstants tc = recipe_->tensor_constants(amax);
  const float ts = recipe_->stored_tensor_scale(tc);
  if (std::memcmp(&ts, &q.tensor_scale, sizeof ts) != 0)
    throw Error("quantize: encode_rows with an amax other than begin()'s");
  const int64_t B = spec_.block;
  const int64_t bpr = q.blocks_per_row();
  const int64_t stride = q.row_stride_bytes();
  const int sbytes = scale_bytes(spec_.scheme);
  const ElementKind kind = recipe_->element();
  const bool divides = recipe_->divides();
  const bool sr = spec_.rounding == Rounding::SR;
  const SpanEncoder encode = pick_encoder(divides, kind, sr);
  // Round-to-nearest E2M1 takes the vectorized row kernels: one factor per element, expanded from the blocks.
  using RowKernel = void (*)(const float*, const float*, int64_t, uint8_t*);
  using SrRowKernel = void (*)(const float*, const float*, const uint32_t*, int64_t, uint8_t*);
  RowKernel rn_kernel = nullptr;
  SrRowKernel sr_kernel = nullptr;
  if (kind == ElementKind::E2M1) {
    rn_kernel = divides ? &e2m1_rn_row_div : &e2m1_rn_row_mul;
    sr_kernel = divides ? &e2m1_sr_row_div : &e2m1_sr_row_mul;
  } else if (kind == ElementKind::E2M1UnsignedZero && divides) {
    rn_kernel = &e2m1_rn_row_div_unsigned_zero;
    sr_kernel = &e2m1_sr_row_div_unsigned_zero;
  }
  const bool row_kernel = sr ? sr_kernel != nullptr : rn_kernel != nullptr;
  const bool packed_blocks16 = !sr && rn_kernel == &e2m1_rn_row_mul && B == 16;
  // Rows of whole blocks lie back to back in x, in the codes and in the scales (1-D blocks, two codes per byte): a run
  // of short rows (a feature map's pixels, C = 64 channels) is encoded as one long row, so the vector kernels take
  // full steps instead of each row's few blocks falling to their scalar tails. Every element keeps its own block's
  // factor, and the blocks are the same, so the bits are those of row after row. (sr draws per row: not grouped.)
  const bool flat = !spec_.block_2d && !sr && cols % B == 0 && stride * 2 == cols;
  const int64_t group = flat ? std::max<int64_t>(1, 4096 / cols) : 1;  // rows encoded together (~16 KiB of floats)
  const int64_t span = std::min(group, count) * cols, span_blocks = std::min(group, count) * bpr;
  std::vector<uint8_t> row_codes(static_cast<size_t>(span));  // bounded scratch: one group of rows' codes
  std::vector<float> factors(static_cast<size_t>(span_blocks)), amaxes(static_cast<size_t>(span_blocks));
  std::vector<BlockScale> row_scales(static_cast<size_t>(span_blocks));
  std::vector<float> element_factors(row_kernel ? static_cast<size_t>(span) : 0);
  std::vector<uint32_t> words(sr ? static_cast<size_t>(cols) : 0);  // one row of SR random words

  for (int64_t r = r0, g = 1; r < r0 + count; r += g) {
    g = std::min(group, r0 + count - r);
    const int64_t n = g * cols, nb = g * bpr;  // elements and blocks of the group (one row unless flat)
    const float* xr = x + (r - r0) * cols;
    if (spec_.block_2d) {
      if (r % 16 == 0) {  // one scale per 16 x 16 tile for this band of rows
        const int64_t band_rows = std::min<int64_t>(16, rows - r);
        for (int64_t kb = 0; kb < bpr; ++kb) {
          const int64_t c0 = kb * B, m = std::min(B, cols - c0);
          float b = 0.0f;
          for (int64_t i = 0; i < band_rows; ++i) b = std::max(b, span_amax(xr + i * cols + c0, m));
          const BlockScale bs = recipe_->block_scale(b, tc);
          store_scale(q.scales, (r / 16) * bpr + kb, sbytes, bs.code);
          factors[static_cast<size_t>(kb)] = bs.factor;
        }
      }
    } else {
      block_amaxes(xr, n, B, amaxes.data());
      recipe_->block_scales(amaxes.data(), nb, tc, row_scales.data());
      uint8_t* scales = sbytes == 1 ? q.scales.data() + r * bpr : nullptr;  // one-byte scales: stored in a row
      for (int64_t kb = 0; kb < nb; ++kb) {
        const BlockScale bs = row_scales[static_cast<size_t>(kb)];
        if (scales) scales[kb] = static_cast<uint8_t>(bs.code);
        else store_scale(q.scales, r * bpr + kb, sbytes, bs.code);
        factors[static_cast<size_t>(kb)] = bs.factor;
      }
    }
    uint8_t* codes = q.codes.data() + r * stride;
    if (row_kernel) {
      // 16-element blocks, multiplied, rn: the packed block-factor kernel takes what it can (whole 32-element
      // steps, codes straight into the tensor); the element-factor kernel does the rest of the row.
      const int64_t done = packed_blocks16 ? e2m1_rn_blocks16_mul_packed(xr, factors.data(), n, codes) : 0;
      for (int64_t kb = done / B; kb < nb; ++kb) {
        const int64_t c0 = kb * B, m = std::min(B, n - c0);
        std::fill_n(element_factors.data() + c0, m, factors[static_cast<size_t>(kb)]);
      }
      if (sr) {
        sr_random_words(spec_.seed, static_cast<uint64_t>(r * cols), cols, words.data());
        sr_kernel(xr, element_factors.data(), words.data(), cols, row_codes.data());
      } else {
        rn_kernel(xr + done, element_factors.data() + done, n - done, row_codes.data() + done);
      }
      pack_nibbles(row_codes.data() + done, n - done, codes + done / 2);
    } else {
      if (sr) sr_random_words(spec_.seed, static_cast<uint64_t>(r * cols), cols, words.data());
      for (int64_t kb = 0; kb < nb; ++kb) {
        const int64_t c0 = kb * B, m = std::min(B, n - c0);
        encode(xr + c0, m, factors[static_cast<size_t>(kb)], row_codes.data() + c0, sr ? words.data() + c0 : nullptr);
      }
      pack_nibbles(row_codes.data(), n, codes);
    }
  }
}

void BlockScaledQuantizer::dequantize(const QuantizedTensor& q, float* out) const {
  if (q.spec.scheme != spec_.scheme || q.spec.block != spec_.block || q.spec.block_2d != spec_.block_2d)
    throw Error("dequantize: tensor is " + q.spec.describe() + " but the quantizer is " + spec_.describe());
  const int64_t B = spec_.block;
  const int64_t bpr = q.blocks_per_row();
  const int64_t stride = q.row_stride_bytes();
  const int sbytes = scale_bytes(spec_.scheme);
  const ScaleGrid grid = scale_grid(q.spec, q.rows, q.cols);
  if (q.codes.size() != static_cast<size_t>(q.rows * stride) ||
      q.scales.size() != static_cast<size_t>(grid.rows * grid.cols * sbytes))
    throw Error("dequantize: codes/scales sizes do not match the shape " + std::to_string(q.rows) + " x " +
                std::to_string(q.cols));
  const ElementKind kind = recipe_->element();
  for (int64_t r = 0; r < q.rows; ++r) {
    const int64_t srow = scale_grid_row(spec_, r);
    for (int64_t kb = 0; kb < bpr; ++kb) {
      const int64_t si = (srow * bpr + kb) * sbytes;
      uint32_t code = q.scales[static_cast<size_t>(si)];
      if (sbytes == 2) code |= static_cast<uint32_t>(q.scales[static_cast<size_t>(si + 1)]) << 8;
      const float s = recipe_->decode_scale(code);
      const int64_t c1 = std::min(q.cols, (kb + 1) * B);
      for (int64_t c = kb * B; c < c1; ++c) {
        const uint8_t byte = q.codes[static_cast<size_t>(r * stride + c / 2)];
        const uint8_t e = static_cast<uint8_t>((c & 1) ? byte >> 4 : byte & 0xF);
        out[r * q.cols + c] = (decode_element(kind, e) * s) * q.tensor_scale;
      }
    }
  }
}

}  // namespace nvfp4::detail
