// Block-scale layouts beyond the row-major one of QuantizedTensor (NVFP4_SPEC.md section 6): the 128x4 tiled layout
// that cuBLAS block-scaled GEMMs read ("1D Block Scaling Factors Layout" in the cuBLAS documentation; the same as
// torchao's `to_blocked`).
#pragma once
#include <cstdint>
#include <vector>

#include "numerics/quantized_tensor.hpp"

namespace nvfp4 {

// Rearranges a row-major scale matrix [rows][cols] of one-byte codes into 128 x 4 tiles: rows padded to a multiple
// of 128 and columns to a multiple of 4 with code 0; tiles in row-major tile order; inside a tile the code of
// (r, c) sits at byte (r % 32) * 16 + (r / 32) * 4 + c. Returns ceil(rows/128)*128 * ceil(cols/4)*4 bytes.
std::vector<uint8_t> scales_to_128x4_tiles(const std::vector<uint8_t>& scales, int64_t rows, int64_t cols);

// The inverse (drops the padding). Throws nvfp4::Error when `tiled` has the wrong size.
std::vector<uint8_t> scales_from_128x4_tiles(const std::vector<uint8_t>& tiled, int64_t rows, int64_t cols);

// The tiled scales of a 1-D block-scaled tensor with one-byte scales (nvfp4, mxfp4). Throws nvfp4::Error for
// 2-D blocks or two-byte (int4) scales, which cuBLAS does not read in this layout.
std::vector<uint8_t> cublas_tiled_scales(const QuantizedTensor& q);

}  // namespace nvfp4
