// Internal: NVFP4_SIMD_CLONES compiles a hot loop for AVX2 and for the baseline, picked at run time (GCC/Clang
// target_clones on x86-64). Only for loops whose bits do not depend on the vector width (element-wise IEEE operations,
// integer compares, max): every clone gives the same result. Where the clones are, NVFP4_AVX2_KERNELS is 1 and a
// hand-written AVX2 kernel (__attribute__((target("avx2"))), called when nvfp4::detail::cpu_has_avx2()) may be used.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(NVFP4_NO_SIMD_CLONES)
#define NVFP4_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#define NVFP4_AVX2_KERNELS 1
#include <immintrin.h>
namespace nvfp4::detail {
inline bool cpu_has_avx2() {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2;
}
}  // namespace nvfp4::detail
#else
#define NVFP4_SIMD_CLONES
#define NVFP4_AVX2_KERNELS 0
#endif
