// Internal: NVFP4_SIMD_CLONES compiles a hot loop for AVX2 and for the baseline, picked at run time (GCC/Clang
// target_clones on x86-64). Only for loops whose bits do not depend on the vector width (element-wise IEEE operations,
// integer compares, max): every clone gives the same result.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(NVFP4_NO_SIMD_CLONES)
#define NVFP4_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NVFP4_SIMD_CLONES
#endif
