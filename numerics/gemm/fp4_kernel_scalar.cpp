// Portable block-sum kernel: plain C++ over the packed panels. The SIMD kernels must give exactly these bits.
#include <cstring>

#include "numerics/gemm/fp4_gemm.hpp"
#include "numerics/gemm/policy_fp32_seq.hpp"

namespace nvfp4::gemm_detail {

void fp4_panel_scalar(const PackedPanels& p) {
  for (int64_t t = 0; t < p.ntiles; ++t) {
    for (int64_t r = 0; r < p.valid_rows; ++r) {
      const int8_t* arow = p.a + r * p.a_row_bytes;
      for (int j = 0; j < kNTile; ++j) {
        const int64_t n = t * kNTile + j;
        if (n >= p.valid_cols) break;
        float* out = p.d + r * p.ldd + n;
        float acc = p.first_k_panel ? 0.0f : *out;
        for (int64_t kb = 0; kb < p.blocks; ++kb) {
          int32_t sum = p.a_corr[r * p.a_row_blocks + kb];  // removes the +12 offset of the B bytes
          const int64_t g1 = (kb + 1) * p.groups_per_block < p.groups ? (kb + 1) * p.groups_per_block : p.groups;
          for (int64_t g = kb * p.groups_per_block; g < g1; ++g) {
            const uint8_t* tile = p.b + (t * p.groups + g) * kTileBytes;
            for (int q = 0; q < 4; ++q) {
              for (int e = 0; e < 4; ++e) sum += arow[g * kGroup + q * 4 + e] * tile[q * 64 + j * 4 + e];
            }
          }
          const float sab = p.a_scale[r * p.a_row_blocks + kb] * p.b_scale[(t * p.blocks + kb) * kNTile + j];
          acc = acc + static_cast<float>(sum) * sab;  // exact product: one rounding, in the add
        }
        *out = p.last_k_panel ? canonical_nan_if(acc * p.tensor_scale, p.nan_bits) : acc;
      }
    }
  }
}

}  // namespace nvfp4::gemm_detail
