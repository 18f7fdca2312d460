// Element conversion kernels over ranges of fp32 bit patterns, for the exhaustive comparison with the CUDA header
// emulation (tests/cuda/exhaustive_convert.cu): every one of the 2^32 inputs goes through the device code.
#include "cuda/gpu.hpp"
#include "cuda/kernels/formats.cuh"

namespace nvfp4::cuda {
namespace {

__global__ void convert_kernel(int kind, uint32_t first, uint32_t n, uint8_t* out) {
  const uint32_t stride = gridDim.x * blockDim.x;
  for (uint32_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float x = __uint_as_float(first + i);
    uint8_t r = 0;
    switch (kind) {
      case 0: r = e2m1_encode(x, false); break;
      case 1: r = e2m1_encode(x, true); break;
      case 2: r = e4m3_encode(x); break;
      case 3: r = ue8m0_encode(x, false); break;
      case 4: r = ue8m0_encode(x, true); break;
      default: r = e2m1_encode_rn_fast(x); break;
    }
    out[i] = r;
  }
}

}  // namespace
}  // namespace nvfp4::cuda

namespace nvfp4::gpu {

void convert_range(int kind, uint32_t first, uint32_t n, uint8_t* d_out, cudaStream_t stream) {
  if (kind < 0 || kind > 5) throw Error("convert_range: unknown conversion kind " + std::to_string(kind));
  if (n == 0) return;
  const uint32_t blocks = std::min<uint32_t>((n + 255) / 256, 132u * 64u);
  cuda::convert_kernel<<<blocks, 256, 0, stream>>>(kind, first, n, d_out);
  NVFP4_CUDA_CHECK_LAUNCH("convert");
}

}  // namespace nvfp4::gpu
