// AVX-512 VNNI block-sum kernel: 4 rows x 32 columns per tile; vpdpbusd multiplies the unsigned B bytes (value + 12)
// by the broadcast signed A bytes; the accumulator starts at -12 * sum(A) of the block, so the int32 result is the
// exact block sum in quarter units. Compiled with a target attribute and only called when the CPU has the ISA.
#include <cstring>

#include "numerics/error.hpp"
#include "numerics/gemm/fp4_gemm.hpp"

#if defined(NVFP4_GEMM_X86_KERNELS)
#include <immintrin.h>

// GCC 12 warns inside its own _mm512_cvtepi32_ps (an intentionally undefined pass-through operand): a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace nvfp4::gemm_detail {
namespace {

#define NVFP4_AVX512 __attribute__((target("avx512f,avx512bw,avx512vnni")))

constexpr int kRows = 4;

NVFP4_AVX512 inline __mmask16 column_mask(const PackedPanels& p, int64_t tile) {
  const int64_t left = p.valid_cols - tile * kNTile;
  return left >= kNTile ? __mmask16(0xFFFF) : __mmask16((1u << (left > 0 ? left : 0)) - 1);
}

template <int NR>
NVFP4_AVX512 void tile(const PackedPanels& p, int64_t r0, int64_t t0) {
  __m512 acc[kRows][NR];
  __mmask16 mask[NR];
  for (int j = 0; j < NR; ++j) mask[j] = column_mask(p, t0 + j);
  for (int i = 0; i < kRows; ++i) {
    for (int j = 0; j < NR; ++j) {
      const bool load = !p.first_k_panel && r0 + i < p.valid_rows;
      acc[i][j] = load ? _mm512_maskz_loadu_ps(mask[j], p.d + (r0 + i) * p.ldd + (t0 + j) * kNTile)
                       : _mm512_setzero_ps();
    }
  }
  const int8_t* arow[kRows];
  for (int i = 0; i < kRows; ++i) arow[i] = p.a + (r0 + i) * p.a_row_bytes;
  for (int64_t kb = 0; kb < p.blocks; ++kb) {
    __m512i sum[kRows][NR];
    for (int i = 0; i < kRows; ++i) {
      const __m512i corr = _mm512_set1_epi32(p.a_corr[(r0 + i) * p.a_row_blocks + kb]);
      for (int j = 0; j < NR; ++j) sum[i][j] = corr;
    }
    const int64_t g0 = kb * p.groups_per_block;
    const int64_t g1 = g0 + p.groups_per_block < p.groups ? g0 + p.groups_per_block : p.groups;
    for (int64_t g = g0; g < g1; ++g) {
      __m512i bv[NR][4];
      for (int j = 0; j < NR; ++j) {
        const uint8_t* tb = p.b + ((t0 + j) * p.groups + g) * kTileBytes;
        for (int q = 0; q < 4; ++q) bv[j][q] = _mm512_loadu_si512(tb + q * 64);
      }
      for (int i = 0; i < kRows; ++i) {
        for (int q = 0; q < 4; ++q) {
          int32_t four;
          std::memcpy(&four, arow[i] + g * kGroup + q * 4, 4);
          const __m512i av = _mm512_set1_epi32(four);
          for (int j = 0; j < NR; ++j) sum[i][j] = _mm512_dpbusd_epi32(sum[i][j], bv[j][q], av);
        }
      }
    }
    __m512 sbq[NR];
    for (int j = 0; j < NR; ++j) sbq[j] = _mm512_loadu_ps(p.b_scale + ((t0 + j) * p.blocks + kb) * kNTile);
    for (int i = 0; i < kRows; ++i) {
      const __m512 sa = _mm512_set1_ps(p.a_scale[(r0 + i) * p.a_row_blocks + kb]);
      for (int j = 0; j < NR; ++j) {
        // term = sum * (sa * sb/4) is exact, so the fused multiply-add rounds once, exactly like acc + term.
        acc[i][j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[i][j]), _mm512_mul_ps(sa, sbq[j]), acc[i][j]);
      }
    }
  }
  for (int i = 0; i < kRows; ++i) {
    if (r0 + i >= p.valid_rows) break;
    for (int j = 0; j < NR; ++j) _mm512_mask_storeu_ps(p.d + (r0 + i) * p.ldd + (t0 + j) * kNTile, mask[j], acc[i][j]);
  }
}

}  // namespace

NVFP4_AVX512 void fp4_panel_avx512vnni(const PackedPanels& p) {
  int64_t t0 = 0;
  for (; t0 + 2 <= p.ntiles; t0 += 2) {
    for (int64_t r0 = 0; r0 < p.rows; r0 += kRows) tile<2>(p, r0, t0);
  }
  for (; t0 < p.ntiles; ++t0) {
    for (int64_t r0 = 0; r0 < p.rows; r0 += kRows) tile<1>(p, r0, t0);
  }
}

}  // namespace nvfp4::gemm_detail

#else  // not an x86-64 GCC/Clang build: the kernel is never listed as available

namespace nvfp4::gemm_detail {
void fp4_panel_avx512vnni(const PackedPanels&) { throw Error("gemm: the avx512-vnni kernel is not built here"); }
}  // namespace nvfp4::gemm_detail

#endif
