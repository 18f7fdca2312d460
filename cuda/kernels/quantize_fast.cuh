// The bandwidth paths of GPU quantize (included by cuda/quantize.cu only):
//   amax_fast_kernel:      tensor amax at read bandwidth: 4 float4 in flight per thread, integer max of |x| bits with
//                          no per-element branch (a non-finite element makes the max >= 0x7F800000; the host then
//                          looks for its position with the slow kernel, on the error path only).
//   quantize_block_kernel: 1-D blocks of 16 or 32 with the recipe and the rounding fixed at compile time; one thread
//                          owns whole blocks (no shuffles), 64 B of input in flight per block, codes stored 8 or 16
//                          bytes at a time. Chunks can be walked in reverse so the tail the amax pass left in L2 hits.
//   quantize_fp16_kernel:  the fp16 scheme (IEEE binary16 RN-even, no scale), one pass with the non-finite check.
// The block kernel calls the same recipe functions as the other kernels (recipes.cuh), so the bits are the same.
#pragma once
#include <cuda_fp16.h>

#include "cuda/kernels/quantize_kernels.cuh"

namespace nvfp4::cuda {

constexpr int kFastThreads = 256;

// The tensor amax: from device memory (after the amax pass) or the value given (delayed scaling).
__device__ __forceinline__ float param_amax(const QuantParams& p) {
  return p.amax_bits != nullptr ? __uint_as_float(*p.amax_bits) : p.amax_value;
}

// One atomicMax per CTA (thousands on one address would serialize in L2).
__device__ __forceinline__ void cta_max_to(uint32_t local, uint32_t* out) {
  __shared__ uint32_t warp_max[kFastThreads / 32];
  local = __reduce_max_sync(0xFFFFFFFFu, local);
  if ((threadIdx.x & 31) == 0) warp_max[threadIdx.x >> 5] = local;
  __syncthreads();
  if (threadIdx.x == 0) {
    uint32_t m = 0;
    for (int w = 0; w < kFastThreads / 32; ++w) m = max(m, warp_max[w]);
    atomicMax(out, m);
  }
}

// max over |x| bits of n4 float4 (grid-stride, kAmaxUnroll independent loads per thread per step).
constexpr int kAmaxUnroll = 4;
__global__ void __launch_bounds__(kFastThreads) amax_fast_kernel(const float4* __restrict__ x4, int64_t n4,
                                                                 uint32_t* out_bits) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * kFastThreads;
  uint32_t local = 0;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * kFastThreads + threadIdx.x; i < n4; i += stride * kAmaxUnroll) {
    float4 v[kAmaxUnroll];
#pragma unroll
    for (int u = 0; u < kAmaxUnroll; ++u)
      v[u] = i + u * stride < n4 ? __ldg(x4 + i + u * stride) : make_float4(0.f, 0.f, 0.f, 0.f);
#pragma unroll
    for (int u = 0; u < kAmaxUnroll; ++u)
      local = max(max(local, max(__float_as_uint(v[u].x) & 0x7FFFFFFFu, __float_as_uint(v[u].y) & 0x7FFFFFFFu)),
                  max(__float_as_uint(v[u].z) & 0x7FFFFFFFu, __float_as_uint(v[u].w) & 0x7FFFFFFFu));
  }
  cta_max_to(local, out_bits);
}

// Chunk c of kFastThreads * kBlocks blocks; thread t owns blocks c*chunk + t + j*kFastThreads (j < kBlocks), so each
// warp load instruction covers 32 consecutive blocks. nblocks = rows * cols / kB (rows are contiguous: cols % kB == 0).
template <DevRecipe R, bool kSR, int kB, int kBlocks>
__global__ void __launch_bounds__(kFastThreads) quantize_block_kernel(QuantParams p, int64_t nblocks, bool reverse) {
  static_assert(kB == 16 || kB == 32, "codes are stored as one 8- or 16-byte word per block");
  constexpr int kVec = kB / 4;  // float4 per block
  constexpr bool kScaled = R != DevRecipe::Fp4 && R != DevRecipe::Fp4Tensor;
  const TensorScaling t = tensor_scaling(R, param_amax(p));
  const int64_t chunk = reverse ? gridDim.x - 1 - blockIdx.x : blockIdx.x;
  const int64_t first = chunk * (kFastThreads * kBlocks) + threadIdx.x;
  float4 v[kBlocks][kVec];
#pragma unroll
  for (int j = 0; j < kBlocks; ++j) {  // every load first: kBlocks * kB * 4 bytes in flight
    const int64_t bi = first + j * kFastThreads;
    const float4* src = reinterpret_cast<const float4*>(p.x) + bi * kVec;
#pragma unroll
    for (int k = 0; k < kVec; ++k) v[j][k] = bi < nblocks ? __ldg(src + k) : make_float4(0.f, 0.f, 0.f, 0.f);
  }
#pragma unroll
  for (int j = 0; j < kBlocks; ++j) {
    const int64_t bi = first + j * kFastThreads;
    if (bi >= nblocks) break;
    // Block amax as a float max of |x| (one FMNMX per element): equal to the bit max of the other kernels for
    // NaN-free blocks; NaN input is refused (two-pass) or undefined (known amax) anyway.
    float b = 0.0f;
#pragma unroll
    for (int k = 0; k < kVec; ++k)
      b = fmaxf(b, fmaxf(fmaxf(fabsf(v[j][k].x), fabsf(v[j][k].y)), fmaxf(fabsf(v[j][k].z), fabsf(v[j][k].w))));
    const BlockScaling s = block_scaling(R, t, b);  // R is a constant: the recipe switch folds away
    if (kScaled) p.scales[bi] = static_cast<uint8_t>(s.code);
    uint32_t w[kB / 8];
    const uint64_t e0 = static_cast<uint64_t>(bi) * kB;  // linear index of the block's first element (SR counter)
#pragma unroll
    for (int k = 0; k < kVec; ++k) {
      const float xs[4] = {v[j][k].x, v[j][k].y, v[j][k].z, v[j][k].w};
      uint32_t h = 0;
#pragma unroll
      for (int e = 0; e < 4; ++e)
        h |= static_cast<uint32_t>(quantize_element(s, xs[e], kSR, p.seed, e0 + 4 * k + e)) << (4 * e);
      if (k & 1) w[k / 2] |= h << 16;
      else w[k / 2] = h;
    }
    if constexpr (kB == 16) reinterpret_cast<uint2*>(p.codes)[bi] = make_uint2(w[0], w[1]);
    else reinterpret_cast<uint4*>(p.codes)[bi] = make_uint4(w[0], w[1], w[2], w[3]);
  }
}

// FP16 scheme: code = IEEE binary16 of x, round to nearest even (cvt.rn.f16.f32, subnormals kept, overflow to Inf),
// little-endian as numerics/quant/per_tensor.cpp stores it. Also the max |x| bits, so non-finite input is found
// without an amax pass. vec: x 16-byte aligned; elements n4*4..n-1 then go one per thread.
__global__ void __launch_bounds__(kFastThreads) quantize_fp16_kernel(const float* __restrict__ x, int64_t n, bool vec,
                                                                     uint16_t* __restrict__ out, uint32_t* max_bits) {
  const int64_t stride = static_cast<int64_t>(gridDim.x) * kFastThreads;
  const int64_t tid = static_cast<int64_t>(blockIdx.x) * kFastThreads + threadIdx.x;
  const int64_t n4 = vec ? n / 4 : 0;
  uint32_t local = 0;
  for (int64_t i = tid; i < n4; i += stride) {
    const float4 v = __ldg(reinterpret_cast<const float4*>(x) + i);
    local = max(max(local, max(__float_as_uint(v.x) & 0x7FFFFFFFu, __float_as_uint(v.y) & 0x7FFFFFFFu)),
                max(__float_as_uint(v.z) & 0x7FFFFFFFu, __float_as_uint(v.w) & 0x7FFFFFFFu));
    const uint32_t lo = __half_as_ushort(__float2half_rn(v.x)) | (uint32_t{__half_as_ushort(__float2half_rn(v.y))} << 16);
    const uint32_t hi = __half_as_ushort(__float2half_rn(v.z)) | (uint32_t{__half_as_ushort(__float2half_rn(v.w))} << 16);
    reinterpret_cast<uint2*>(out)[i] = make_uint2(lo, hi);
  }
  for (int64_t i = n4 * 4 + tid; i < n; i += stride) {
    local = max(local, __float_as_uint(x[i]) & 0x7FFFFFFFu);
    out[i] = __half_as_ushort(__float2half_rn(x[i]));
  }
  cta_max_to(local, max_bits);
}

}  // namespace nvfp4::cuda
