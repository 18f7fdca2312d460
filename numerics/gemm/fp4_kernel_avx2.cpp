// AVX2 block-sum kernel for CPUs without AVX-512 VNNI: vpmaddubsw (unsigned B bytes x signed A bytes, pairs summed
// to int16: at most 2 * 24 * 12 = 576), the four int16 results of a 16-element group added in int16 (at most
// 4 * 576 = 2304, no overflow), then one vpmaddwd by ones to int32 per group. 3 rows x 16 columns per tile.
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

constexpr int kRows = 3;  // 3 x (2 int16 sums + 2 fp32 accumulators) + 2 B vectors + A: about the 16 ymm registers

// The D window of one tile row: all 16 columns (plain loads and stores) or the first `cols` (masked).
struct ColumnMask {
  __m256i lo, hi;
};

NVFP4_AVX2 inline ColumnMask column_mask(int64_t cols) {
  const __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i n = _mm256_set1_epi32(static_cast<int>(cols));
  return {_mm256_cmpgt_epi32(n, index), _mm256_cmpgt_epi32(n, _mm256_add_epi32(index, _mm256_set1_epi32(8)))};
}

// D = fp32(acc * s_t), a NaN made the canonical NaN: the driver's epilogue, done here on the last K panel.
NVFP4_AVX2 inline __m256 finish(__m256 acc, __m256 ts, __m256 nan) {
  const __m256 v = _mm256_mul_ps(acc, ts);
  return _mm256_blendv_ps(v, nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
}

// R rows x 16 columns starting at row r0 of tile t. kFull: all R rows and 16 columns lie inside D's window (plain
// loads and stores); otherwise the columns are masked and rows past the window are neither read nor written.
// kOneGroup: blocks of 16 elements (one group per block), the common case: the group's int16 sums are the block's.
template <int R, bool kOneGroup, bool kFull>
NVFP4_AVX2 void tile(const PackedPanels& p, int64_t r0, int64_t t) {
  const int64_t cols = std::min<int64_t>(kNTile, p.valid_cols - t * kNTile);
  const ColumnMask mask = column_mask(kFull ? kNTile : cols);
  float* drow[R];
  bool valid[R];
  __m256 acc[R][2];
  for (int i = 0; i < R; ++i) {
    drow[i] = p.d + (r0 + i) * p.ldd + t * kNTile;
    valid[i] = kFull || r0 + i < p.valid_rows;
    if (p.first_k_panel || !valid[i]) {
      acc[i][0] = acc[i][1] = _mm256_setzero_ps();
    } else if (kFull) {
      acc[i][0] = _mm256_loadu_ps(drow[i]);
      acc[i][1] = _mm256_loadu_ps(drow[i] + 8);
    } else {
      acc[i][0] = _mm256_maskload_ps(drow[i], mask.lo);
      acc[i][1] = _mm256_maskload_ps(drow[i] + 8, mask.hi);
    }
  }
  const __m256i ones = _mm256_set1_epi16(1);
  const int8_t* arow = p.a + r0 * p.a_row_bytes;
  const uint8_t* btile = p.b + t * p.groups * kTileBytes;
  const float* bscale = p.b_scale + t * p.blocks * kNTile;
  const int32_t* corr = p.a_corr + r0 * p.a_row_blocks;
  const float* sa = p.a_scale + r0 * p.a_row_blocks;
  for (int64_t kb = 0; kb < p.blocks; ++kb) {
    __m256i sum[R][2] = {};  // the block sums of the tile, before the correction of B's +12 offset
    const int64_t g0 = kOneGroup ? kb : kb * p.groups_per_block;
    const int64_t g1 = kOneGroup ? kb + 1 : std::min(g0 + p.groups_per_block, p.groups);
    for (int64_t g = g0; g < g1; ++g) {
      const uint8_t* tb = btile + g * kTileBytes;
      __m256i s16[R][2];  // int16 sums of the four vpmaddubsw steps (at most 4 * 576)
#pragma GCC unroll 4
      for (int q = 0; q < 4; ++q) {
        const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tb + q * 64));
        const __m256i b1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(tb + q * 64 + 32));
#pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
          int32_t four;
          std::memcpy(&four, arow + i * p.a_row_bytes + g * kGroup + q * 4, 4);
          const __m256i av = _mm256_set1_epi32(four);
          const __m256i m0 = _mm256_maddubs_epi16(b0, av), m1 = _mm256_maddubs_epi16(b1, av);
          s16[i][0] = q == 0 ? m0 : _mm256_add_epi16(s16[i][0], m0);
          s16[i][1] = q == 0 ? m1 : _mm256_add_epi16(s16[i][1], m1);
          // Opaque to the optimizer: GCC would otherwise reassociate the four adds into a tree and keep every
          // vpmaddubsw result alive at once, spilling half of them.
          asm("" : "+x"(s16[i][0]), "+x"(s16[i][1]));
        }
      }
#pragma GCC unroll 4
      for (int i = 0; i < R; ++i) {
        for (int h = 0; h < 2; ++h) {
          const __m256i s32 = _mm256_madd_epi16(s16[i][h], ones);
          sum[i][h] = kOneGroup || g == g0 ? s32 : _mm256_add_epi32(sum[i][h], s32);
        }
      }
    }
    const __m256 sb0 = _mm256_loadu_ps(bscale + kb * kNTile), sb1 = _mm256_loadu_ps(bscale + kb * kNTile + 8);
#pragma GCC unroll 4
    for (int i = 0; i < R; ++i) {
      const __m256i c = _mm256_set1_epi32(corr[i * p.a_row_blocks + kb]);
      const __m256 s = _mm256_set1_ps(sa[i * p.a_row_blocks + kb]);
      acc[i][0] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(sum[i][0], c)), _mm256_mul_ps(s, sb0), acc[i][0]);
      acc[i][1] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(sum[i][1], c)), _mm256_mul_ps(s, sb1), acc[i][1]);
    }
  }
  if (p.last_k_panel) {
    const __m256 ts = _mm256_set1_ps(p.tensor_scale), nan = _mm256_castsi256_ps(_mm256_set1_epi32(
                                                          static_cast<int>(p.nan_bits)));
    for (int i = 0; i < R; ++i) {
      for (int h = 0; h < 2; ++h) acc[i][h] = finish(acc[i][h], ts, nan);
    }
  }
  for (int i = 0; i < R; ++i) {
    if (kFull) {
      _mm256_storeu_ps(drow[i], acc[i][0]);
      _mm256_storeu_ps(drow[i] + 8, acc[i][1]);
    } else if (valid[i]) {
      _mm256_maskstore_ps(drow[i], mask.lo, acc[i][0]);
      _mm256_maskstore_ps(drow[i] + 8, mask.hi, acc[i][1]);
    }
  }
}

// One tile column: full tiles of kRows rows, then the rows left over (fewer than kRows) in one smaller tile.
template <bool kOneGroup>
NVFP4_AVX2 void tile_column(const PackedPanels& p, int64_t t) {
  const bool full_cols = p.valid_cols - t * kNTile >= kNTile;
  int64_t r0 = 0;
  for (; r0 + kRows <= p.valid_rows; r0 += kRows) {
    if (full_cols) {
      tile<kRows, kOneGroup, true>(p, r0, t);
    } else {
      tile<kRows, kOneGroup, false>(p, r0, t);
    }
  }
  const int64_t left = p.valid_rows - r0;
  static_assert(kRows <= 4);
  if (left == 1) tile<1, kOneGroup, false>(p, r0, t);
  if (left == 2) tile<2, kOneGroup, false>(p, r0, t);
  if (left == 3) tile<3, kOneGroup, false>(p, r0, t);
}

}  // namespace

NVFP4_AVX2 static int64_t unpack_bytes(const uint8_t* bytes, int64_t n, int8_t* out, int8_t offset) {
  alignas(16) static const std::array<int8_t, 16> half_units = [] {
    std::array<int8_t, 16> t{};
    for (int c = 0; c < 16; ++c) t[c] = static_cast<int8_t>(e2m1_to_half_units(static_cast<uint8_t>(c)));
    return t;
  }();
  const __m128i table =
      _mm_add_epi8(_mm_load_si128(reinterpret_cast<const __m128i*>(half_units.data())), _mm_set1_epi8(offset));
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

int64_t unpack_code_bytes_avx2(const uint8_t* bytes, int64_t n, int8_t* out, int8_t offset) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? unpack_bytes(bytes, n, out, offset) : 0;
}

NVFP4_AVX2 void fp4_panel_avx2(const PackedPanels& p) {
  // Column tiles outside, rows inside (rows in chunks that stay in L2 across the tiles were no faster here).
  for (int64_t t = 0; t < p.ntiles; ++t) {
    if (p.groups_per_block == 1) {
      tile_column<true>(p, t);
    } else {
      tile_column<false>(p, t);
    }
  }
}

}  // namespace nvfp4::gemm_detail

#else

namespace nvfp4::gemm_detail {
void fp4_panel_avx2(const PackedPanels&) { throw Error("gemm: the avx2 kernel is not built here"); }
int64_t unpack_code_bytes_avx2(const uint8_t*, int64_t, int8_t*, int8_t) { return 0; }
}  // namespace nvfp4::gemm_detail

#endif
