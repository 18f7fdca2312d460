// Accessors of the storage layout of NVFP4_SPEC.md section 6 (see quantized_tensor.hpp). Every index is checked:
// these are the slow, safe accessors; hot loops read `codes` / `scales` directly.
#include <string>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4 {
namespace {

void check_element(const QuantizedTensor& q, int64_t r, int64_t c) {
  if (r < 0 || r >= q.rows || c < 0 || c >= q.cols)
    throw Error("quantized tensor: element (" + std::to_string(r) + ", " + std::to_string(c) +
                ") is outside the shape " + std::to_string(q.rows) + " x " + std::to_string(q.cols));
}

}  // namespace

int64_t QuantizedTensor::row_stride_bytes() const { return code_row_bytes(spec.scheme, cols); }

int64_t QuantizedTensor::blocks_per_row() const {
  return has_block_scale(spec.scheme) ? scale_grid(spec, rows, cols).cols : 1;
}

uint8_t QuantizedTensor::code(int64_t r, int64_t c) const {
  check_element(*this, r, c);
  const int bits = code_bits(spec.scheme);
  if (bits == 16) throw Error("quantized tensor: fp16 codes are 16-bit, read them with code16()");
  const size_t at = static_cast<size_t>(r * row_stride_bytes() + (bits == 4 ? c / 2 : c));
  if (at >= codes.size()) throw Error("quantized tensor: codes array is shorter than its shape needs");
  if (bits == 8) return codes[at];
  return static_cast<uint8_t>((c & 1) ? codes[at] >> 4 : codes[at] & 0xF);
}

void QuantizedTensor::set_code(int64_t r, int64_t c, uint8_t v) {
  check_element(*this, r, c);
  const int bits = code_bits(spec.scheme);
  if (bits == 16) throw Error("quantized tensor: fp16 codes are 16-bit; set_code handles 4- and 8-bit codes");
  const size_t at = static_cast<size_t>(r * row_stride_bytes() + (bits == 4 ? c / 2 : c));
  if (at >= codes.size()) throw Error("quantized tensor: codes array is shorter than its shape needs");
  if (bits == 8) {
    codes[at] = v;
  } else if (c & 1) {
    codes[at] = static_cast<uint8_t>((codes[at] & 0x0F) | ((v & 0xF) << 4));
  } else {
    codes[at] = static_cast<uint8_t>((codes[at] & 0xF0) | (v & 0xF));
  }
}

uint16_t QuantizedTensor::code16(int64_t r, int64_t c) const {
  check_element(*this, r, c);
  if (code_bits(spec.scheme) != 16) throw Error("quantized tensor: code16() is for fp16 tensors");
  const size_t at = static_cast<size_t>(r * row_stride_bytes() + 2 * c);
  if (at + 1 >= codes.size()) throw Error("quantized tensor: codes array is shorter than its shape needs");
  return static_cast<uint16_t>(codes[at] | (codes[at + 1] << 8));
}

uint32_t QuantizedTensor::scale_code(int64_t r, int64_t kblock) const {
  if (!has_block_scale(spec.scheme)) return 0;
  const int64_t bpr = blocks_per_row();
  if (r < 0 || r >= rows || kblock < 0 || kblock >= bpr)
    throw Error("quantized tensor: scale of row " + std::to_string(r) + ", block " + std::to_string(kblock) +
                " is outside " + std::to_string(rows) + " rows x " + std::to_string(bpr) + " blocks");
  const int64_t index = scale_grid_row(spec, r) * bpr + kblock;
  const int bytes = scale_bytes(spec.scheme);
  const size_t at = static_cast<size_t>(index * bytes);
  if (at + bytes > scales.size()) throw Error("quantized tensor: scales array is shorter than its shape needs");
  return bytes == 1 ? scales[at] : static_cast<uint32_t>(scales[at] | (scales[at + 1] << 8));
}

float QuantizedTensor::scale(int64_t r, int64_t kblock) const {
  const uint32_t c = scale_code(r, kblock);
  switch (spec.scheme) {
    case Scheme::NVFP4: return ue4m3_to_float(static_cast<uint8_t>(c));
    case Scheme::MXFP4: return ue8m0_to_float(static_cast<uint8_t>(c));
    case Scheme::INT4: return fp16_to_float(static_cast<uint16_t>(c));
    default: return 1.0f;
  }
}

float QuantizedTensor::value(int64_t r, int64_t c) const {
  switch (spec.scheme) {
    case Scheme::FP16: return fp16_to_float(code16(r, c));
    case Scheme::FP8: return e4m3_to_float(code(r, c));
    case Scheme::INT4: {
      const int v = code(r, c);
      return static_cast<float>(v >= 8 ? v - 16 : v);  // two's complement nibble, -7..7 used
    }
    default: return e2m1_to_float(code(r, c));
  }
}

}  // namespace nvfp4
