// Arguments of the block-scaled GEMM kernels (cuda/gemm.cu, cuda/gemm_wgmma.cu).
#pragma once
#include <cuda_runtime.h>

#include <cstdint>

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
};

// fp32-seq NVFP4 with Hopper wgmma (cuda/gemm_wgmma.cu, built for sm_90a only). Returns false when the device is not
// sm_90 (the caller then uses the mma.sync kernel).
bool launch_gemm_wgmma_fp32seq(const GemmParams& p, int64_t m_pad, int64_t n_pad, cudaStream_t stream,
                               int stages = 3);

// fp32-seq NVFP4, warp-specialized Hopper kernel (cuda/gemm_wgmma_ws.cu, sm_90a): TMA producer warp, 2 or 3 consumer
// warpgroups. config 0 picks the shape per problem, 2 = 128 x 128 tiles, 3 = 192 x 128. Returns false when the
// device is not sm_90.
bool launch_gemm_wgmma_ws(const GemmParams& p, int64_t m_pad, int64_t n_pad, cudaStream_t stream, int config);

}  // namespace nvfp4::cuda
