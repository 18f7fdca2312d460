// NVFP4 recipe `te` (the default): TransformerEngine, common/cast/nvfp4/core_nvfp4.cuh and
// quantize_transpose_nvfp4.cuh (NVFP4_SPEC.md section 3; differences found in the source: docs/numerics.md).
//   S_enc = min(2688 / A, FLT_MAX); S_enc = 1 when A == 0 or S_enc == 0
//   S_dec = fp32(1.0 / (double)S_enc)                     -> stored tensor scale
//   sf    = e4m3_satfinite_rn(b * (S_enc * (1f/6f)))       -> stored block scale
//   r     = min(1f / (fp32(sf) * S_dec), FLT_MAX);  q_i = e2m1(x_i * r)
#include <cfloat>
#include <memory>

#include "numerics/formats.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/nvfp4_common.hpp"

namespace nvfp4::detail {
namespace {

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
    for (int64_t i = 0; i < n; ++i) out[i] = TeRecipe::block_scale(block_amax[i], t);
  }
  bool divides() const override { return false; }
  ElementKind element() const override { return ElementKind::E2M1; }
  float decode_scale(uint32_t code) const override { return ue4m3_to_float(static_cast<uint8_t>(code)); }
};

}  // namespace

std::unique_ptr<BlockScaleRecipe> make_nvfp4_te_recipe() { return std::make_unique<TeRecipe>(); }

}  // namespace nvfp4::detail
