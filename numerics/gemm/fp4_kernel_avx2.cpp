// AVX2 block-sum kernel for CPUs without AVX-512 VNNI: vpmaddubsw (unsigned B bytes x signed A bytes, pairs summed
// to int16: at most 2 * 24 * 12 = 576, no saturation) then vpmaddwd by ones to int32. 2 rows x 16 columns per tile.
#include <cstring>

#include "numerics/error.hpp"
#include "numerics/gemm/fp4_gemm.hpp"

#if defined(NVFP4_GEMM_X86_KERNELS)
#include <immintrin.h>

namespace nvfp4::gemm_detail {
namespace {

#define NVFP4_AVX2 __attribute__((target("avx2")))

constexpr int kRows = 2;

NVFP4_AVX2 void tile(const PackedPanels& p, int64_t r0, int64_t t) {
  // Partial tiles go through a local copy so loads and stores never leave D's valid window.
  alignas(32) float local[kRows][kNTile] = {};
  const int64_t cols = p.valid_cols - t * kNTile < kNTile ? p.valid_cols - t * kNTile : kNTile;
  for (int i = 0; i < kRows; ++i) {
    if (p.first_k_panel || r0 + i >= p.valid_rows) continue;
    std::memcpy(local[i], p.d + (r0 + i) * p.ldd + t * kNTile, static_cast<size_t>(cols) * sizeof(float));
  }
  __m256 acc[kRows][2];
  for (int i = 0; i < kRows; ++i) {
    for (int h = 0; h < 2; ++h) acc[i][h] = _mm256_load_ps(local[i] + 8 * h);
  }
  const __m256i ones = _mm256_set1_epi16(1);
  for (int64_t kb = 0; kb < p.blocks; ++kb) {
    __m256i sum[kRows][2];
    for (int i = 0; i < kRows; ++i) {
      const __m256i corr = _mm256_set1_epi32(p.a_corr[(r0 + i) * p.a_row_blocks + kb]);
      sum[i][0] = sum[i][1] = corr;
    }
    const int64_t g0 = kb * p.groups_per_block;
    const int64_t g1 = g0 + p.groups_per_block < p.groups ? g0 + p.groups_per_block : p.groups;
    for (int64_t g = g0; g < g1; ++g) {
      const uint8_t* tb = p.b + (t * p.groups + g) * kTileBytes;
      for (int q = 0; q < 4; ++q) {
        const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tb + q * 64));
        const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tb + q * 64 + 32));
        for (int i = 0; i < kRows; ++i) {
          int32_t four;
          std::memcpy(&four, p.a + (r0 + i) * p.a_row_bytes + g * kGroup + q * 4, 4);
          const __m256i av = _mm256_set1_epi32(four);
          sum[i][0] = _mm256_add_epi32(sum[i][0], _mm256_madd_epi16(_mm256_maddubs_epi16(b0, av), ones));
          sum[i][1] = _mm256_add_epi32(sum[i][1], _mm256_madd_epi16(_mm256_maddubs_epi16(b1, av), ones));
        }
      }
    }
    for (int i = 0; i < kRows; ++i) {
      const __m256 sa = _mm256_set1_ps(p.a_scale[(r0 + i) * p.a_row_blocks + kb]);
      for (int h = 0; h < 2; ++h) {
        const __m256 sab = _mm256_mul_ps(sa, _mm256_loadu_ps(p.b_scale + (t * p.blocks + kb) * kNTile + 8 * h));
        acc[i][h] = _mm256_add_ps(acc[i][h], _mm256_mul_ps(_mm256_cvtepi32_ps(sum[i][h]), sab));
      }
    }
  }
  for (int i = 0; i < kRows; ++i) {
    for (int h = 0; h < 2; ++h) _mm256_store_ps(local[i] + 8 * h, acc[i][h]);
    if (r0 + i < p.valid_rows) {
      std::memcpy(p.d + (r0 + i) * p.ldd + t * kNTile, local[i], static_cast<size_t>(cols) * sizeof(float));
    }
  }
}

}  // namespace

NVFP4_AVX2 void fp4_panel_avx2(const PackedPanels& p) {
  for (int64_t t = 0; t < p.ntiles; ++t) {
    for (int64_t r0 = 0; r0 < p.rows; r0 += kRows) tile(p, r0, t);
  }
}

}  // namespace nvfp4::gemm_detail

#else

namespace nvfp4::gemm_detail {
void fp4_panel_avx2(const PackedPanels&) { throw Error("gemm: the avx2 kernel is not built here"); }
}  // namespace nvfp4::gemm_detail

#endif
