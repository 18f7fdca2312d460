// fixed:W:F (W <= 62) on the packed panels with AVX-512. Per block, for one row and 16 columns:
//   P = blocksum (quarter units) * ma * mb        exact int32, |P| < 2^24 (scales as mant * 2^exp2)
//   t = floor(P * 2^(xa + xb - 2 + F))             vpsravq for right shifts (floor), vpsllvq for left shifts;
//                                                  |t| >= 2^62 is replaced by +-2^62, which saturates every W <= 62
//   acc = clamp(acc + t, -2^(W-1), 2^(W-1) - 1)   |acc| <= 2^61, so the sum never leaves int64
// The registers live in PackedPanels::acc across K panels; the driver converts them to D at the end.
#include <cstring>

#include "numerics/error.hpp"
#include "numerics/gemm/fp4_gemm.hpp"

#if defined(NVFP4_GEMM_X86_KERNELS)
#include <immintrin.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // GCC 12 false positive inside its own intrinsics
#endif

namespace nvfp4::gemm_detail {
namespace {

#define NVFP4_AVX512FIX __attribute__((target("avx512f,avx512bw,avx512dq,avx512vnni")))

// floor(P * 2^shift) for 8 signed lanes, with |result| >= 2^62 replaced by +-2^62.
NVFP4_AVX512FIX inline __m512i floor_shift(__m512i p, __m512i shift) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i big = _mm512_set1_epi64(int64_t{1} << 62);
  const __m512i right = _mm512_srav_epi64(p, _mm512_max_epi64(_mm512_sub_epi64(zero, shift), zero));
  const __m512i up = _mm512_max_epi64(shift, zero);
  const __m512i mag = _mm512_abs_epi64(p);
  const __m512i threshold = _mm512_srlv_epi64(big, up);  // 2^(62 - shift), 0 when shift > 62
  const __mmask8 huge = _mm512_cmpge_epu64_mask(mag, threshold) & _mm512_cmpneq_epi64_mask(mag, zero);
  __m512i left = _mm512_sllv_epi64(p, up);
  left = _mm512_mask_mov_epi64(left, huge, _mm512_mask_sub_epi64(big, _mm512_cmplt_epi64_mask(p, zero), zero, big));
  return _mm512_mask_mov_epi64(right, _mm512_cmpge_epi64_mask(shift, zero), left);
}

NVFP4_AVX512FIX void row_tile(const PackedPanels& p, int64_t r, int64_t t) {
  int64_t* state = p.acc + r * p.ld_acc + t * kNTile;
  __m512i lo = p.first_k_panel ? _mm512_setzero_si512() : _mm512_loadu_si512(state);
  __m512i hi = p.first_k_panel ? _mm512_setzero_si512() : _mm512_loadu_si512(state + 8);
  const __m512i vmin = _mm512_set1_epi64(p.acc_min), vmax = _mm512_set1_epi64(p.acc_max);
  const int8_t* arow = p.a + r * p.a_row_bytes;
  for (int64_t kb = 0; kb < p.blocks; ++kb) {
    __m512i s = _mm512_set1_epi32(p.a_corr[r * p.a_row_blocks + kb]);
    const int64_t g0 = kb * p.groups_per_block;
    const int64_t g1 = g0 + p.groups_per_block < p.groups ? g0 + p.groups_per_block : p.groups;
    for (int64_t g = g0; g < g1; ++g) {
      const uint8_t* tb = p.b + (t * p.groups + g) * kTileBytes;
      for (int k4 = 0; k4 < 4; ++k4) {
        int32_t four;
        std::memcpy(&four, arow + g * kGroup + k4 * 4, 4);
        s = _mm512_dpbusd_epi32(s, _mm512_loadu_si512(tb + k4 * 64), _mm512_set1_epi32(four));
      }
    }
    const int32_t* sa = p.a_sint + (r * p.a_row_blocks + kb) * 3;
    const int32_t* sb = p.b_sint + (t * p.blocks + kb) * 3 * kNTile;
    const __m512i prod = _mm512_mullo_epi32(s, _mm512_mullo_epi32(_mm512_set1_epi32(sa[0]), _mm512_loadu_si512(sb)));
    const __m512i shift = _mm512_add_epi32(_mm512_set1_epi32(sa[1] - 2 + p.frac), _mm512_loadu_si512(sb + kNTile));
    const __m512i t_lo = floor_shift(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(prod)),
                                     _mm512_cvtepi32_epi64(_mm512_castsi512_si256(shift)));
    const __m512i t_hi = floor_shift(_mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(prod, 1)),
                                     _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(shift, 1)));
    lo = _mm512_min_epi64(_mm512_max_epi64(_mm512_add_epi64(lo, t_lo), vmin), vmax);
    hi = _mm512_min_epi64(_mm512_max_epi64(_mm512_add_epi64(hi, t_hi), vmin), vmax);
  }
  _mm512_storeu_si512(state, lo);
  _mm512_storeu_si512(state + 8, hi);
}

}  // namespace

NVFP4_AVX512FIX void fp4_panel_avx512_fixed(const PackedPanels& p) {
  // Blocks of 64 rows (32 KiB of A) stay in L1/L2 while every column tile of the B panel passes over them.
  constexpr int64_t kRowBlock = 64;
  for (int64_t r0 = 0; r0 < p.valid_rows; r0 += kRowBlock) {
    const int64_t r1 = r0 + kRowBlock < p.valid_rows ? r0 + kRowBlock : p.valid_rows;
    for (int64_t t = 0; t < p.ntiles; ++t) {
      for (int64_t r = r0; r < r1; ++r) row_tile(p, r, t);
    }
  }
}

}  // namespace nvfp4::gemm_detail

#else

namespace nvfp4::gemm_detail {
void fp4_panel_avx512_fixed(const PackedPanels&) { throw Error("gemm: the avx512 fixed kernel is not built here"); }
}  // namespace nvfp4::gemm_detail

#endif
