// GPU dequantization: out = fp32( fp32(code value * block scale) * tensor scale ), as nvfp4::dequantize.
#include <string>

#include "cuda/gpu.hpp"
#include "cuda/kernels/formats.cuh"
#include "numerics/error.hpp"

namespace nvfp4::cuda {
namespace {

struct DequantParams {
  const uint8_t* codes;
  const uint8_t* scales;
  int64_t rows, cols, row_stride, blocks_per_row;
  int block;
  bool block_2d;
  int scale_kind;  // 0 none, 1 UE4M3, 2 UE8M0, 3 fp16 (int4; two bytes little-endian, int4 elements)
  bool fp8;        // one E4M3 code per byte instead of two E2M1 per byte
  bool fp16;       // one IEEE half per two bytes, little-endian
  float tensor_scale;
  float* out;
};

// a * b with the NaN propagation of x86 SSE (the golden model's host): a NaN operand is returned (quieted), the
// first one if both are NaN; the GPU would return its canonical NaN 0x7FFFFFFF instead. Only NaN scales reach this
// (e.g. the torchao / modelopt scale of an all-zero tensor).
__device__ __forceinline__ float mul_like_host(float a, float b) {
  if (a != a) return __uint_as_float(__float_as_uint(a) | 0x00400000u);
  if (b != b) return __uint_as_float(__float_as_uint(b) | 0x00400000u);
  return __fmul_rn(a, b);
}

__global__ void dequantize_kernel(DequantParams p) {
  const int64_t n = p.rows * p.cols;
  const int64_t stride = static_cast<int64_t>(gridDim.x) * blockDim.x;
  for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) {
    const int64_t r = i / p.cols, c = i % p.cols;
    if (p.fp16) {  // software decode: keeps a NaN code's payload as the golden model's fp16_to_float does
      const uint16_t h = static_cast<uint16_t>(p.codes[2 * i] | (p.codes[2 * i + 1] << 8));
      p.out[i] = mul_like_host(mul_like_host(fp16_decode(h), 1.0f), p.tensor_scale);
      continue;
    }
    if (p.fp8) {
      p.out[i] = mul_like_host(mul_like_host(e4m3_decode(p.codes[i]), 1.0f), p.tensor_scale);
      continue;
    }
    const uint8_t byte = p.codes[r * p.row_stride + c / 2];
    const uint8_t code = (c & 1) ? (byte >> 4) : (byte & 0xF);
    float scale = 1.0f;
    if (p.scale_kind != 0) {
      const int64_t kb = c / p.block;
      const int64_t sr = p.block_2d ? r / kBlock2dSide : r;
      const int64_t si = sr * p.blocks_per_row + kb;
      if (p.scale_kind == 3) {
        scale = fp16_decode(static_cast<uint16_t>(p.scales[2 * si] | (p.scales[2 * si + 1] << 8)));
      } else {
        const uint8_t sc = p.scales[si];
        scale = p.scale_kind == 1 ? ue4m3_decode(sc) : ue8m0_decode(sc);
      }
    }
    const float value = p.scale_kind == 3 ? static_cast<float>(code >= 8 ? code - 16 : code) : e2m1_value(code);
    p.out[i] = mul_like_host(mul_like_host(value, scale), p.tensor_scale);
  }
}

}  // namespace
}  // namespace nvfp4::cuda

namespace nvfp4::gpu {

void dequantize(const DeviceQuantized& q, float* d_out, cudaStream_t stream) {
  const Scheme s = q.spec.scheme;
  if (s != Scheme::NVFP4 && s != Scheme::MXFP4 && s != Scheme::FP4 && s != Scheme::FP4Tensor && s != Scheme::FP8 &&
      s != Scheme::FP16 && s != Scheme::INT4)
    throw Error("gpu dequantize: scheme '" + std::string(to_string(s)) + "' has no GPU kernel");
  cuda::DequantParams p{};
  p.codes = q.codes.get();
  p.scales = q.scales.get();
  p.rows = q.rows;
  p.cols = q.cols;
  p.row_stride = code_row_bytes(q.spec.scheme, q.cols);
  p.block = q.spec.block;
  p.block_2d = q.spec.block_2d;
  p.blocks_per_row = scale_grid(q.spec, q.rows, q.cols).cols;
  p.scale_kind = s == Scheme::NVFP4 ? 1 : (s == Scheme::MXFP4 ? 2 : (s == Scheme::INT4 ? 3 : 0));
  p.tensor_scale = q.tensor_scale;
  p.fp8 = s == Scheme::FP8;
  p.fp16 = s == Scheme::FP16;
  p.out = d_out;
  const int64_t n = q.rows * q.cols;
  const int threads = 256;
  const int64_t blocks = std::min<int64_t>((n + threads - 1) / threads, 132 * 64);
  cuda::dequantize_kernel<<<static_cast<int>(std::max<int64_t>(blocks, 1)), threads, 0, stream>>>(p);
  NVFP4_CUDA_CHECK_LAUNCH("dequantize");
}

}  // namespace nvfp4::gpu
