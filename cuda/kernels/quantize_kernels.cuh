// Quantize kernels: tensor amax, then a block kernel; all share the recipe arithmetic of recipes.cuh.
//   quantize_block_kernel:   (quantize_fast.cuh) 1-D B = 16 or 32, cols % B == 0, 16-byte aligned: the fast path.
//   quantize_vec_kernel:     1-D blocks, B in {4..128}, cols % B == 0, 16-byte aligned rows: B/4 lanes per block,
//                            one float4 each, block amax by warp shuffles (other B; no-scale schemes).
//   quantize_generic_kernel: 1-D blocks of any B, partial last blocks, odd cols: one thread per block (two for B = 1).
//   quantize_tile_kernel:    2-D 16 x 16 blocks: 16 lanes per tile, one row each.
// The three produce the same bits for the same input (each element is scaled and rounded by the same functions).
#pragma once
#include "cuda/kernels/recipes.cuh"
#include "numerics/quant_spec.hpp"

namespace nvfp4::cuda {

struct QuantParams {
  const float* x;            // rows x cols, row-major
  int64_t rows, cols;
  int block;                 // B (1-D) or 16 (2-D)
  int64_t blocks_per_row;    // ceil(cols / B)
  int64_t row_stride;        // bytes of codes per row: ceil(cols / 2)
  DevRecipe recipe;
  bool has_scale;            // writes block scale codes
  int scale_bytes;           // 1 (UE4M3, UE8M0) or 2 (int4's fp16)
  bool stochastic;
  uint64_t seed;
  const uint32_t* amax_bits; // tensor amax, fp32 bits (device), or null: use amax_value (known amax, no copy)
  float amax_value;
  uint8_t* codes;
  uint8_t* scales;
};

struct AmaxResult {
  uint32_t amax_bits;                     // max |x| bits (>= 0x7F800000 when an element is NaN/Inf)
  unsigned long long first_nonfinite;     // smallest linear index of a NaN/Inf, or ~0
};

// The device formula of a spec; throws nvfp4::Error for specs without a GPU kernel.
DevRecipe dev_recipe_of(const QuantSpec& spec);

}  // namespace nvfp4::cuda
