// blackwell-mma on the packed panels with AVX-512: for one row and 16 columns, the four group sums of a 64-element
// chunk come from vpdpbusd (as in fp4_kernel_avx512.cpp, per group), then MMA-Sim's alignment runs in 64-bit lanes:
//   Emax = max(e_C, E(sa) + E(sb) per group); T = trunc(value * 2^(35 - Emax)); C = RZ(sum(T) * 2^(Emax - 35)).
// int64 -> fp32 conversion and the power-of-two scaling both round toward zero (vcvtqq2ps, vscalefps with {rz-sae});
// RZ of an RZ result onto a coarser (subnormal) grid is the RZ of the exact value, so the bits equal the scalar model.
// The driver only sends UE4M3 / unscaled operands without NaN scales, where |C| < 2^128 always holds.
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

#define NVFP4_AVX512MMA __attribute__((target("avx512f,avx512bw,avx512dq,avx512vnni")))

constexpr int kFracBits = 35;
constexpr int kGroupsPerChunk = 4;

// trunc(+-mag * 2^shift) in 64-bit lanes: mag < 2^36 and the result < 2^50 for every reachable input.
NVFP4_AVX512MMA inline __m512i shifted(__m512i mag, __m512i shift, __mmask8 negative) {
  const __m512i zero = _mm512_setzero_si512();
  const __m512i left = _mm512_sllv_epi64(mag, _mm512_max_epi64(shift, zero));
  const __m512i right = _mm512_srlv_epi64(mag, _mm512_max_epi64(_mm512_sub_epi64(zero, shift), zero));
  const __mmask8 up = _mm512_cmpge_epi64_mask(shift, zero);
  const __m512i t = _mm512_mask_mov_epi64(right, up, left);
  return _mm512_mask_sub_epi64(t, negative, zero, t);
}

// Adds the truncated terms of 16 lanes (magnitudes as int32, signs as a mask, shifts as int32) to two int64 halves.
NVFP4_AVX512MMA inline void add_terms(__m512i mag32, __mmask16 negative, __m512i shift32, __m512i& lo, __m512i& hi) {
  const __m512i mag_lo = _mm512_cvtepu32_epi64(_mm512_castsi512_si256(mag32));
  const __m512i mag_hi = _mm512_cvtepu32_epi64(_mm512_extracti64x4_epi64(mag32, 1));
  const __m512i sh_lo = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(shift32));
  const __m512i sh_hi = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(shift32, 1));
  lo = _mm512_add_epi64(lo, shifted(mag_lo, sh_lo, static_cast<__mmask8>(negative)));
  hi = _mm512_add_epi64(hi, shifted(mag_hi, sh_hi, static_cast<__mmask8>(negative >> 8)));
}

NVFP4_AVX512MMA __mmask16 column_mask(const PackedPanels& p, int64_t tile) {
  const int64_t left = p.valid_cols - tile * kNTile;
  return left >= kNTile ? __mmask16(0xFFFF) : __mmask16((1u << (left > 0 ? left : 0)) - 1);
}

NVFP4_AVX512MMA void row_tile(const PackedPanels& p, int64_t r, int64_t t) {
  const __mmask16 mask = column_mask(p, t);
  float* out = p.d + r * p.ldd + t * kNTile;
  __m512 c = p.first_k_panel ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(mask, out);
  const int8_t* arow = p.a + r * p.a_row_bytes;
  const __m512i zero = _mm512_setzero_si512();
  for (int64_t g0 = 0; g0 < p.groups; g0 += kGroupsPerChunk) {
    const int ng = p.groups - g0 < kGroupsPerChunk ? static_cast<int>(p.groups - g0) : kGroupsPerChunk;
    // e_C = floor(log2 |C|), at least -126 (getexp gives -inf for 0 and the true exponent for subnormals).
    __m512i emax = _mm512_cvttps_epi32(_mm512_max_ps(_mm512_getexp_ps(c), _mm512_set1_ps(-126.0f)));
    __m512i pmag[kGroupsPerChunk], pexp[kGroupsPerChunk];
    __mmask16 pneg[kGroupsPerChunk];
    for (int q = 0; q < ng; ++q) {
      const int64_t g = g0 + q;
      const int64_t kb = g / p.groups_per_block;
      __m512i s = _mm512_set1_epi32(p.a_gcorr[r * p.groups + g]);
      const uint8_t* tb = p.b + (t * p.groups + g) * kTileBytes;
      for (int k4 = 0; k4 < 4; ++k4) {
        int32_t four;
        std::memcpy(&four, arow + g * kGroup + k4 * 4, 4);
        s = _mm512_dpbusd_epi32(s, _mm512_loadu_si512(tb + k4 * 64), _mm512_set1_epi32(four));
      }
      const int32_t* sa = p.a_sint + (r * p.a_row_blocks + kb) * 3;
      const int32_t* sb = p.b_sint + (t * p.blocks + kb) * 3 * kNTile;
      const __m512i mb = _mm512_loadu_si512(sb);
      const __m512i xb = _mm512_loadu_si512(sb + kNTile);
      const __m512i eb = _mm512_loadu_si512(sb + 2 * kNTile);
      emax = _mm512_max_epi32(emax, _mm512_add_epi32(_mm512_set1_epi32(sa[2]), eb));
      // value = sum/4 * sa * sb = P * 2^(xa + xb - 2) with P = sum * ma * mb, |P| < 2^20
      const __m512i prod = _mm512_mullo_epi32(s, _mm512_mullo_epi32(_mm512_set1_epi32(sa[0]), mb));
      pneg[q] = _mm512_cmplt_epi32_mask(prod, zero);
      pmag[q] = _mm512_abs_epi32(prod);
      pexp[q] = _mm512_add_epi32(_mm512_set1_epi32(sa[1] - 2), xb);
    }
    // C = +-mc * 2^xc from its bits
    const __m512i bits = _mm512_castps_si512(c);
    const __m512i field = _mm512_and_si512(_mm512_srli_epi32(bits, 23), _mm512_set1_epi32(0xFF));
    const __mmask16 normal = _mm512_cmpneq_epi32_mask(field, zero);
    const __m512i frac = _mm512_and_si512(bits, _mm512_set1_epi32(0x7FFFFF));
    const __m512i mc = _mm512_mask_or_epi32(frac, normal, frac, _mm512_set1_epi32(0x800000));
    const __m512i xc = _mm512_mask_sub_epi32(_mm512_set1_epi32(-149), normal, field, _mm512_set1_epi32(150));
    const __mmask16 cneg = _mm512_cmplt_epi32_mask(bits, zero);
    const __m512i to_frac = _mm512_sub_epi32(_mm512_set1_epi32(kFracBits), emax);  // 35 - Emax
    __m512i lo = zero, hi = zero;
    add_terms(mc, cneg, _mm512_add_epi32(xc, to_frac), lo, hi);
    for (int q = 0; q < ng; ++q) add_terms(pmag[q], pneg[q], _mm512_add_epi32(pexp[q], to_frac), lo, hi);
    const __m256 f_lo = _mm512_cvt_roundepi64_ps(lo, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 f_hi = _mm512_cvt_roundepi64_ps(hi, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512 f = _mm512_insertf32x8(_mm512_castps256_ps512(f_lo), f_hi, 1);
    const __m512 scale = _mm512_cvtepi32_ps(_mm512_sub_epi32(emax, _mm512_set1_epi32(kFracBits)));
    c = _mm512_scalef_round_ps(f, scale, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    c = _mm512_mask_mov_ps(c, _mm512_cmp_ps_mask(c, _mm512_setzero_ps(), _CMP_EQ_OQ), _mm512_setzero_ps());  // +0
  }
  _mm512_mask_storeu_ps(out, mask, c);
}

}  // namespace

bool blackwell_simd_supported() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vnni");
}

NVFP4_AVX512MMA void fp4_panel_avx512_blackwell(const PackedPanels& p) {
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
bool blackwell_simd_supported() { return false; }
void fp4_panel_avx512_blackwell(const PackedPanels&) { throw Error("gemm: the avx512 blackwell kernel is not built"); }
}  // namespace nvfp4::gemm_detail

#endif
