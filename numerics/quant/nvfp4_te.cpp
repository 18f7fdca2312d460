// NVFP4 recipe `te` (the default): TransformerEngine, common/cast/nvfp4/core_nvfp4.cuh and
// quantize_transpose_nvfp4.cuh (NVFP4_SPEC.md section 3; differences found in the source: docs/numerics.md).
//   S_enc = min(2688 / A, FLT_MAX); S_enc = 1 when A == 0 or S_enc == 0
//   S_dec = fp32(1.0 / (double)S_enc)                     -> stored tensor scale
//   sf    = e4m3_satfinite_rn(b * (S_enc * (1f/6f)))       -> stored block scale
//   r     = min(1f / (fp32(sf) * S_dec), FLT_MAX);  q_i = e2m1(x_i * r)
#include <array>
#include <cfloat>
#include <memory>

#include "numerics/formats.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/nvfp4_common.hpp"
#include "numerics/quant/simd_clones.hpp"

namespace nvfp4::detail {
namespace {

#if NVFP4_AVX2_KERNELS
// TeRecipe::block_scale of 8 blocks per step, the same operations lane by lane: the fp32 product b * k2,
// e4m3_from_float's integer rounding (normal range: the RNE carry trick and saturation at 0x7E; subnormal range:
// |x| * 2^9 rounded by adding and subtracting 2^23; NaN -> 0x7F), the code's value from e4m3_to_float's table, and
// r = min(1 / (value * k1), FLT_MAX) (minps keeps FLT_MAX for NaN, as the scalar compare does). Returns how many
// blocks it did (a multiple of 8).
__attribute__((target("avx2"))) int64_t te_block_scales_avx2(const float* block_amax, int64_t n,
                                                              const TensorConstants& t, BlockScale* out) {
  static const std::array<float, 256> value = [] {
    std::array<float, 256> v{};
    for (int c = 0; c < 256; ++c) v[c] = e4m3_to_float(static_cast<uint8_t>(c));
    return v;
  }();
  const __m256 k1 = _mm256_set1_ps(t.k1), k2 = _mm256_set1_ps(t.k2), one = _mm256_set1_ps(1.0f);
  const __m256i magnitude = _mm256_set1_epi32(0x7FFFFFFF), inf = _mm256_set1_epi32(0x7F800000);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i bits = _mm256_castps_si256(_mm256_mul_ps(_mm256_loadu_ps(block_amax + i), k2));
    const __m256i ab = _mm256_and_si256(bits, magnitude);
    const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(ab, 20), _mm256_set1_epi32(1));
    __m256i normal = _mm256_add_epi32(_mm256_add_epi32(ab, _mm256_set1_epi32(0x7FFFF)), lsb);
    normal = _mm256_sub_epi32(_mm256_srli_epi32(normal, 20), _mm256_set1_epi32(120 << 3));
    normal = _mm256_min_epu32(normal, _mm256_set1_epi32(0x7E));
    const __m256 two23 = _mm256_set1_ps(8388608.0f);
    const __m256 sub = _mm256_sub_ps(
        _mm256_add_ps(_mm256_mul_ps(_mm256_castsi256_ps(ab), _mm256_set1_ps(512.0f)), two23), two23);
    const __m256i is_normal = _mm256_cmpgt_epi32(ab, _mm256_set1_epi32(0x3C800000 - 1));
    __m256i code = _mm256_blendv_epi8(_mm256_cvttps_epi32(sub), normal, is_normal);
    code = _mm256_or_si256(code, _mm256_slli_epi32(_mm256_srli_epi32(bits, 31), 7));
    code = _mm256_blendv_epi8(code, _mm256_set1_epi32(0x7F), _mm256_cmpgt_epi32(ab, inf));
    const __m256 v = _mm256_i32gather_ps(value.data(), code, 4);
    const __m256 r = _mm256_min_ps(_mm256_div_ps(one, _mm256_mul_ps(v, k1)), _mm256_set1_ps(FLT_MAX));
    const __m256i lo = _mm256_unpacklo_epi32(code, _mm256_castps_si256(r));  // blocks 0 1 | 4 5 as (code, factor)
    const __m256i hi = _mm256_unpackhi_epi32(code, _mm256_castps_si256(r));  // blocks 2 3 | 6 7
    static_assert(sizeof(BlockScale) == 8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm256_permute2x128_si256(lo, hi, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i + 4), _mm256_permute2x128_si256(lo, hi, 0x31));
  }
  return i;
}
#endif

class TeRecipe final : public BlockScaleRecipe {
 public:
  bool needs_tensor_amax() const override { return true; }
  TensorConstants tensor_constants(float amax) const override {
    TensorConstants t;
    t.k0 = te_encode_scale(amax);                                          // S_enc
    t.k1 = static_cast<float>(1.0 / static_cast<double>(t.k0));           // S_dec
    t.k2 = t.k0 * kOneSixth;                                               // S_enc * (1f/6f)
    return t;
  }
  float stored_tensor_scale(const TensorConstants& t) const override { return t.k1; }
  BlockScale block_scale(float b, const TensorConstants& t) const override {
    const uint8_t sf = e4m3_from_float(b * t.k2);
    const float r = 1.0f / (e4m3_to_float(sf) * t.k1);
    return {sf, r < FLT_MAX ? r : FLT_MAX};  // min(r, FLT_MAX); sf == 0 gives 1/0 = Inf -> FLT_MAX
  }
  void block_scales(const float* block_amax, int64_t n, const TensorConstants& t, BlockScale* out) const override {
    int64_t i = 0;
#if NVFP4_AVX2_KERNELS
    if (cpu_has_avx2()) i = te_block_scales_avx2(block_amax, n, t, out);
#endif
    for (; i < n; ++i) out[i] = TeRecipe::block_scale(block_amax[i], t);
  }
  bool divides() const override { return false; }
  ElementKind element() const override { return ElementKind::E2M1; }
  float decode_scale(uint32_t code) const override { return ue4m3_to_float(static_cast<uint8_t>(code)); }
};

}  // namespace

std::unique_ptr<BlockScaleRecipe> make_nvfp4_te_recipe() { return std::make_unique<TeRecipe>(); }

}  // namespace nvfp4::detail
