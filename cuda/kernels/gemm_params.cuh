// Arguments of the block-scaled GEMM kernels (cuda/gemm.cu, cuda/gemm_wgmma.cu).
#pragma once
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

namespace nvfp4::cuda {

struct GemmParams {
  const uint16_t* a16;  // m_pad x k_pad fp16 bits
  const uint16_t* b16;  // n_pad x k_pad fp16 bits
  const uint8_t* sa;    // [m_pad][blocks] scale codes (blackwell-mma or MXFP4)
  const uint8_t* sb;    // [n_pad][blocks]
  int64_t m, n, k_pad, blocks;
  int64_t groups;       // ceil(K / 16): 16-element groups holding real elements (MMA-Sim's term granularity)
  float tensor_scale_product;
  float* d;             // m x n
  int fixed_frac;                  // fixed:W:F only: F, and the W-bit register's range
  int64_t fixed_min, fixed_max;
};

// fp32-seq NVFP4 with the warp-specialized Hopper wgmma kernel (cuda/gemm_wgmma.cu, built for sm_90a only):
// tile_m = 128 or 192 rows per CTA, 0 = chosen per problem; persistent = 1: one CTA per SM walking the tiles,
// 0: one CTA per tile, -1: chosen per problem. Returns the launched kernel in words, or "" when the device is not
// sm_90 (nothing launched; the caller then uses the mma.sync kernel).
std::string launch_gemm_wgmma(const GemmParams& p, int64_t m_pad, int64_t n_pad, cudaStream_t stream, int tile_m,
                              int persistent);

}  // namespace nvfp4::cuda
