// Native Blackwell path (sm_100a / sm_120a): the hardware conversion instructions (cvt.rn.satfinite.e2m1x2.f32,
// cvt.{rz,rp}.satfinite.ue8m0x2.f32) and the cuBLASLt block-scaled NVFP4 GEMM (CUDA_R_4F_E2M1 operands with
// CUBLASLT_MATMUL_MATRIX_SCALE_VEC16_UE4M3 scales). This code is compiled in CI and its SASS inspected
// (tests/cuda/check_blackwell_sass.sh), but NO Blackwell GPU has run it: on other devices every entry point throws
// nvfp4::Error saying so.
#pragma once
#include <cuda_runtime.h>

#include <cstdint>

#include "cuda/gpu.hpp"

namespace nvfp4::gpu {

// True for compute capability 10.x and 12.x (the targets the native code is built for).
bool native_fp4_supported(const DeviceInfo& d);

// kind: 0 = E2M1 rn (hardware cvt), 3 = UE8M0 rz, 4 = UE8M0 rp; same contract as convert_range.
void native_convert_range(int kind, uint32_t first, uint32_t n, uint8_t* d_out, cudaStream_t stream = 0);

// Scales [rows][kblocks] (row-major) -> cuBLAS's tiled layout of 128 x 4 blocks ("1D Block Scaling Factors Layout"):
// tiles of 128 rows x 4 scale columns, 512 bytes each, K-tiles innermost; inside a tile the byte of (r, c) is at
// (r % 32) * 16 + (r / 32) * 4 + c. Padding bytes are 0. Returns the tiled array (host).
std::vector<uint8_t> scales_to_cublas_tiled(const uint8_t* scales, int64_t rows, int64_t kblocks);

// D (m x n, fp32, row-major) = s_tA * s_tB * A x B^T through cublasLtMatmul on NVFP4 operands (1-D 16-element blocks).
// Blackwell's accumulation order is the hardware's own: compare with the `blackwell-mma` golden policy.
void native_gemm_nvfp4_cublaslt(const DeviceQuantized& a, const DeviceQuantized& b, float* d_out,
                                cudaStream_t stream = 0);

}  // namespace nvfp4::gpu
