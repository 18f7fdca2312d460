// A quantized 2-D tensor in the storage layout of NVFP4_SPEC.md section 6. This struct is the interchange type between
// numerics/, lut/, ecc/ (fault injection flips its bits), sim/, cuda/ and the Python bindings.
#pragma once
#include <cstdint>
#include <vector>

#include "numerics/quant_spec.hpp"

namespace nvfp4 {

struct QuantizedTensor {
  QuantSpec spec;
  int64_t rows = 0;  // non-reduction dimension (M for A, N for B)
  int64_t cols = 0;  // reduction dimension K (contiguous)

  // Element codes, row-major. 4-bit schemes: two per byte, element 2i in the LOW nibble; each row starts on a byte
  // (row stride ceil(cols/2) bytes, a pad nibble is 0). fp8: one byte per element. fp16: two bytes, little-endian.
  std::vector<uint8_t> codes;
  // Block scale codes, [scale_grid.rows][scale_grid.cols] (quant_spec.hpp: 1-D blocks [rows][ceil(cols/B)]; 2-D
  // (16 x 16) blocks [ceil(rows/16)][ceil(cols/16)]).
  // UE4M3 (nvfp4) / UE8M0 (mxfp4): one byte each; int4: fp16 bits, two bytes little-endian. Empty when unscaled.
  std::vector<uint8_t> scales;
  // Per-tensor decode scale s_tensor (nvfp4: S_dec; fp4-tensor, fp8: their tensor scale); 1.0f when unused.
  float tensor_scale = 1.0f;

  int64_t row_stride_bytes() const;   // bytes of `codes` per row
  int64_t blocks_per_row() const;     // ceil(cols / B) (1 when the scheme has no block scale)
  uint8_t code(int64_t r, int64_t c) const;            // element code (4-bit in the low nibble, or byte)
  void set_code(int64_t r, int64_t c, uint8_t code);
  uint16_t code16(int64_t r, int64_t c) const;         // fp16 bits (FP16 scheme)
  uint32_t scale_code(int64_t r, int64_t kblock) const; // raw scale bits of the block holding row r, block kblock
  float scale(int64_t r, int64_t kblock) const;         // decoded block scale (1.0f when unscaled)
  float value(int64_t r, int64_t c) const;              // decoded element code only (no scales)
};

}  // namespace nvfp4
