// NVFP4_HD marks functions compiled for both the host and the device, so that the device arithmetic can be checked on a
// machine without a GPU (tests/cuda/test_device_formats_host.cpp compiles these headers with the host compiler).
#pragma once
#include <cstdint>
#include <cstring>

#if defined(__CUDACC__)
#define NVFP4_HD __host__ __device__ __forceinline__
#else
#define NVFP4_HD inline
#endif

namespace nvfp4::cuda {

NVFP4_HD uint32_t float_bits(float x) {
#if defined(__CUDA_ARCH__)
  return __float_as_uint(x);
#else
  uint32_t u;
  std::memcpy(&u, &x, 4);
  return u;
#endif
}

NVFP4_HD float bits_float(uint32_t u) {
#if defined(__CUDA_ARCH__)
  return __uint_as_float(u);
#else
  float x;
  std::memcpy(&x, &u, 4);
  return x;
#endif
}

// IEEE fp32 operations with round-to-nearest-even and no contraction on both sides (the device side also builds with
// -fmad=false; the explicit intrinsics keep that true even if someone drops the flag).
NVFP4_HD float mul_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}
NVFP4_HD float add_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}
NVFP4_HD float sub_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fsub_rn(a, b);
#else
  return a - b;
#endif
}
NVFP4_HD float div_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fdiv_rn(a, b);
#else
  return a / b;
#endif
}
NVFP4_HD double ddiv_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
  return __ddiv_rn(a, b);
#else
  return a / b;
#endif
}
NVFP4_HD float double_to_float_rn(double a) {
#if defined(__CUDA_ARCH__)
  return __double2float_rn(a);
#else
  return static_cast<float>(a);
#endif
}
// std::min(a, b) semantics: b < a ? b : a (NaN in a is kept, NaN in b ignored).
NVFP4_HD float min_std(float a, float b) { return (b < a) ? b : a; }
NVFP4_HD float max_std(float a, float b) { return (a < b) ? b : a; }

constexpr float kFltMax = 3.40282346638528859812e+38F;

}  // namespace nvfp4::cuda
