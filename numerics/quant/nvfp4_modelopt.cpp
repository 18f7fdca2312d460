// NVFP4 recipe `modelopt`: modelopt/torch/quantization/qtensor/nvfp4_tensor.py (NVFP4_SPEC.md section 3;
// differences found in the source: docs/numerics.md).
//   g  = A / 2688                                          -> stored tensor scale
//   s  = b / (6 * g);  s = 1 when s == 0
//   sf = e4m3(clamp(s, 2^-9, 448));  q_i = e2m1_rn(x_i / (fp32(sf) * g))
// The element cast (_cast_fp4) takes the sign from (v < 0), so a -0.0 scaled value gives code 0x0, not 0x8; the
// dynamic path has no upper clamp before the E4M3 cast, but s <= 448 * (1 + 2^-22) there, which rounds to 448 anyway.
// A == 0 gives g = 0 and s = 0/0 = NaN (not 0, so not replaced by 1): the scale is the E4M3 NaN 0x7F and the elements
// NaN -> 0x7, as in the source.
#include <memory>

#include "numerics/formats.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/nvfp4_common.hpp"

namespace nvfp4::detail {
namespace {

class ModelOptRecipe final : public BlockScaleRecipe {
 public:
  bool needs_tensor_amax() const override { return true; }
  TensorConstants tensor_constants(float amax) const override {
    TensorConstants t;
    t.k0 = amax / kFp4TimesFp8Max;  // g
    return t;
  }
  float stored_tensor_scale(const TensorConstants& t) const override { return t.k0; }
  BlockScale block_scale(float b, const TensorConstants& t) const override {
    float s = b / (kFp4Max * t.k0);
    if (s == 0.0f) s = 1.0f;
    if (s == s) s = s < 0x1p-9f ? 0x1p-9f : (s > kFp8Max ? kFp8Max : s);
    const uint8_t sf = e4m3_from_float(s);
    return {sf, e4m3_to_float(sf) * t.k0};
  }
  bool divides() const override { return true; }
  ElementKind element() const override { return ElementKind::E2M1UnsignedZero; }
  float decode_scale(uint32_t code) const override { return ue4m3_to_float(static_cast<uint8_t>(code)); }
};

}  // namespace

std::unique_ptr<BlockScaleRecipe> make_nvfp4_modelopt_recipe() { return std::make_unique<ModelOptRecipe>(); }

}  // namespace nvfp4::detail
