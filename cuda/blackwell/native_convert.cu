// Hardware FP4 / UE8M0 conversions of Blackwell (compiled for sm_100a and sm_120a only; see native.hpp).
#include "cuda/host/cuda_check.hpp"
#include "cuda/native.hpp"

namespace nvfp4::cuda {
namespace {

__device__ __forceinline__ uint8_t cvt_e2m1_rn(float x) {
  uint16_t packed;
  // cvt.rn.satfinite.e2m1x2.f32 d, a, b: a goes to the high nibble, b to the low one.
  asm("{ .reg .b8 t;\n cvt.rn.satfinite.e2m1x2.f32 t, %1, %2;\n mov.b16 %0, {t, 0};\n}" : "=h"(packed) : "f"(0.0f), "f"(x));
  return static_cast<uint8_t>(packed & 0xF);
}
__device__ __forceinline__ uint8_t cvt_ue8m0(float x, bool ceil) {
  uint16_t packed;
  if (ceil) asm("cvt.rp.satfinite.ue8m0x2.f32 %0, %1, %2;" : "=h"(packed) : "f"(0.0f), "f"(x));
  else asm("cvt.rz.satfinite.ue8m0x2.f32 %0, %1, %2;" : "=h"(packed) : "f"(0.0f), "f"(x));
  return static_cast<uint8_t>(packed & 0xFF);
}

__global__ void native_convert_kernel(int kind, uint32_t first, uint32_t n, uint8_t* out) {
  const uint32_t stride = gridDim.x * blockDim.x;
  for (uint32_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
    const float x = __uint_as_float(first + i);
    out[i] = kind == 0 ? cvt_e2m1_rn(x) : cvt_ue8m0(x, kind == 4);
  }
}

}  // namespace
}  // namespace nvfp4::cuda

namespace nvfp4::gpu {

void native_convert_range(int kind, uint32_t first, uint32_t n, uint8_t* d_out, cudaStream_t stream) {
  if (kind != 0 && kind != 3 && kind != 4)
    throw Error("native_convert_range: kind " + std::to_string(kind) + " has no hardware instruction");
  const DeviceInfo d = device_info();
  if (!native_fp4_supported(d))
    throw Error("native FP4 conversions need a Blackwell GPU (sm_100a/sm_120a); this device is " + d.name + " (sm_" +
                std::to_string(d.cc_major) + std::to_string(d.cc_minor) + ")");
  if (n == 0) return;
  const uint32_t blocks = std::min<uint32_t>((n + 255) / 256, 148u * 64u);
  cuda::native_convert_kernel<<<blocks, 256, 0, stream>>>(kind, first, n, d_out);
  NVFP4_CUDA_CHECK_LAUNCH("native convert");
}

}  // namespace nvfp4::gpu
