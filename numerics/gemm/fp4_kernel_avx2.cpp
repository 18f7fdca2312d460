// AVX2 block-sum kernel for CPUs without AVX-512 VNNI: vpmaddubsw (unsigned B bytes x signed A bytes, pairs summed
// to int16: at most 2 * 24 * 12 = 576), the four int16 results of a 16-element group added in int16 (at most
// 4 * 576 = 2304, no overflow), then one vpmaddwd by ones to int32 per group. 2 rows x 16 columns per tile.
// The block term float(sum) * (sa * sb/4) is exact (fp4_gemm.hpp), so the FMA that adds it rounds once, like the
// scalar kernel's add.
#include <algorithm>
#include <array>
#include <cstring>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/gemm/fp4_gemm.hpp"

#if defined(NVFP4_GEMM_X86_KERNELS)
#include <immintrin.h>

namespace nvfp4::gemm_detail {
namespace {

#define NVFP4_AVX2 __attribute__((target("avx2,fma")))

constexpr int kRows = 2;  // the block loop below names the two rows' accumulators

// One 16-element group of kRows rows x 16 columns: int16 sums of the four vpmaddubsw steps, then int32 by vpmaddwd.
NVFP4_AVX2 inline void group_sums(const int8_t* const* arow, const uint8_t* tb, int64_t e0, __m256i ones,
                                  __m256i (&out)[kRows][2]) {
  __m256i s16[kRows][2];
  for (int i = 0; i < kRows; ++i) s16[i][0] = s16[i][1] = _mm256_setzero_si256();
  for (int q = 0; q < 4; ++q) {
    const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tb + q * 64));
    const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tb + q * 64 + 32));
    for (int i = 0; i < kRows; ++i) {
      int32_t four;
      std::memcpy(&four, arow[i] + e0 + q * 4, 4);
      const __m256i av = _mm256_set1_epi32(four);
      s16[i][0] = _mm256_add_epi16(s16[i][0], _mm256_maddubs_epi16(b0, av));
      s16[i][1] = _mm256_add_epi16(s16[i][1], _mm256_maddubs_epi16(b1, av));
    }
  }
  for (int i = 0; i < kRows; ++i) {
    for (int h = 0; h < 2; ++h) out[i][h] = _mm256_madd_epi16(s16[i][h], ones);
  }
}

// kOneGroup: blocks of 16 elements (one group per block), the common case: the group's int16 sums go straight to the
// block's sums.
template <bool kOneGroup>
NVFP4_AVX2 void tile(const PackedPanels& p, int64_t r0, int64_t t) {
  // D is walked down a column strip (rows far apart): fetch the rows of the tile after next while this one computes.
  for (int i = 0; i < kRows; ++i) {
    if (p.first_k_panel || r0 + 2 * kRows + i >= p.valid_rows) break;
    const char* next = reinterpret_cast<const char*>(p.d + (r0 + 2 * kRows + i) * p.ldd + t * kNTile);
    _mm_prefetch(next, _MM_HINT_T0);
    _mm_prefetch(next + 63, _MM_HINT_T0);
  }
  const int64_t cols = p.valid_cols - t * kNTile < kNTile ? p.valid_cols - t * kNTile : kNTile;
  // Full tiles read and write D in place; partial tiles go through a local copy so loads and stores never leave D's
  // valid window.
  const bool in_place = cols == kNTile && r0 + kRows <= p.valid_rows;
  alignas(32) float local[kRows][kNTile];
  float* out[kRows];
  for (int i = 0; i < kRows; ++i) {
    out[i] = in_place ? p.d + (r0 + i) * p.ldd + t * kNTile : local[i];
    if (in_place || p.first_k_panel) continue;
    std::fill(local[i], local[i] + kNTile, 0.0f);
    if (r0 + i < p.valid_rows) {
      std::memcpy(local[i], p.d + (r0 + i) * p.ldd + t * kNTile, static_cast<size_t>(cols) * sizeof(float));
    }
  }
  __m256 acc[kRows][2];
  for (int i = 0; i < kRows; ++i) {
    for (int h = 0; h < 2; ++h) acc[i][h] = p.first_k_panel ? _mm256_setzero_ps() : _mm256_loadu_ps(out[i] + 8 * h);
  }
  const __m256i ones = _mm256_set1_epi16(1);
  const int8_t* arow[kRows] = {p.a + r0 * p.a_row_bytes, p.a + (r0 + 1) * p.a_row_bytes};
  const uint8_t* btile = p.b + t * p.groups * kTileBytes;
  const float* bscale = p.b_scale + t * p.blocks * kNTile;
  // Named accumulators (not arrays): GCC keeps them in registers across the block loop.
  __m256 acc00 = acc[0][0], acc01 = acc[0][1], acc10 = acc[1][0], acc11 = acc[1][1];
  const int32_t* corr0 = p.a_corr + r0 * p.a_row_blocks;
  const int32_t* corr1 = corr0 + p.a_row_blocks;
  const float* sa0 = p.a_scale + r0 * p.a_row_blocks;
  const float* sa1 = sa0 + p.a_row_blocks;
  for (int64_t kb = 0; kb < p.blocks; ++kb) {
    __m256i sum[kRows][2];  // the block sums of the tile, before the correction of B's +12 offset
    if constexpr (kOneGroup) {
      group_sums(arow, btile + kb * kTileBytes, kb * kGroup, ones, sum);
    } else {
      for (int i = 0; i < kRows; ++i) sum[i][0] = sum[i][1] = _mm256_setzero_si256();
      const int64_t g0 = kb * p.groups_per_block;
      const int64_t g1 = g0 + p.groups_per_block < p.groups ? g0 + p.groups_per_block : p.groups;
      for (int64_t g = g0; g < g1; ++g) {
        __m256i part[kRows][2];
        group_sums(arow, btile + g * kTileBytes, g * kGroup, ones, part);
        for (int i = 0; i < kRows; ++i) {
          for (int h = 0; h < 2; ++h) sum[i][h] = _mm256_add_epi32(sum[i][h], part[i][h]);
        }
      }
    }
    const __m256 sb0 = _mm256_loadu_ps(bscale + kb * kNTile), sb1 = _mm256_loadu_ps(bscale + kb * kNTile + 8);
    const __m256i c0 = _mm256_set1_epi32(corr0[kb]), c1 = _mm256_set1_epi32(corr1[kb]);
    const __m256 s0 = _mm256_set1_ps(sa0[kb]), s1 = _mm256_set1_ps(sa1[kb]);
    acc00 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(sum[0][0], c0)), _mm256_mul_ps(s0, sb0), acc00);
    acc01 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(sum[0][1], c0)), _mm256_mul_ps(s0, sb1), acc01);
    acc10 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(sum[1][0], c1)), _mm256_mul_ps(s1, sb0), acc10);
    acc11 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(sum[1][1], c1)), _mm256_mul_ps(s1, sb1), acc11);
  }
  acc[0][0] = acc00, acc[0][1] = acc01, acc[1][0] = acc10, acc[1][1] = acc11;
  for (int i = 0; i < kRows; ++i) {
    for (int h = 0; h < 2; ++h) _mm256_storeu_ps(out[i] + 8 * h, acc[i][h]);
    if (!in_place && r0 + i < p.valid_rows) {
      std::memcpy(p.d + (r0 + i) * p.ldd + t * kNTile, local[i], static_cast<size_t>(cols) * sizeof(float));
    }
  }
}

}  // namespace

NVFP4_AVX2 static int64_t unpack_bytes(const uint8_t* bytes, int64_t n, int8_t* out) {
  alignas(16) static const std::array<int8_t, 16> half_units = [] {
    std::array<int8_t, 16> t{};
    for (int c = 0; c < 16; ++c) t[c] = static_cast<int8_t>(e2m1_to_half_units(static_cast<uint8_t>(c)));
    return t;
  }();
  const __m128i table = _mm_load_si128(reinterpret_cast<const __m128i*>(half_units.data()));
  const __m128i nibble = _mm_set1_epi8(0x0F);
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) {
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + j));
    const __m128i lo = _mm_shuffle_epi8(table, _mm_and_si128(b, nibble));
    const __m128i hi = _mm_shuffle_epi8(table, _mm_and_si128(_mm_srli_epi16(b, 4), nibble));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * j), _mm_unpacklo_epi8(lo, hi));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * j + 16), _mm_unpackhi_epi8(lo, hi));
  }
  return j;
}

int64_t unpack_code_bytes_avx2(const uint8_t* bytes, int64_t n, int8_t* out) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? unpack_bytes(bytes, n, out) : 0;
}

NVFP4_AVX2 void fp4_panel_avx2(const PackedPanels& p) {
  for (int64_t t = 0; t < p.ntiles; ++t) {
    for (int64_t r0 = 0; r0 < p.rows; r0 += kRows) {
      if (p.groups_per_block == 1) {
        tile<true>(p, r0, t);
      } else {
        tile<false>(p, r0, t);
      }
    }
  }
}

}  // namespace nvfp4::gemm_detail

#else

namespace nvfp4::gemm_detail {
void fp4_panel_avx2(const PackedPanels&) { throw Error("gemm: the avx2 kernel is not built here"); }
int64_t unpack_code_bytes_avx2(const uint8_t*, int64_t, int8_t*) { return 0; }
}  // namespace nvfp4::gemm_detail

#endif
