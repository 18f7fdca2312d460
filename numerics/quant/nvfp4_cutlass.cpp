// NVFP4 recipe `cutlass`: the host reference tools/util/include/cutlass/util/reference/host/gett.hpp, with the global
// scale st = S_enc of `te` (NVFP4_SPEC.md section 3; differences found in the source: docs/numerics.md).
//   sf = ue4m3(b * (st * (1/6)));  r = min(st * (1 / fp32(sf)), FLT_MAX);  q_i = e2m1_rn(x_i * r)
//   stored tensor scale: fp32(1.0 / (double)st), the decode scale of `te`.
#include <cfloat>
#include <memory>

#include "numerics/formats.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/nvfp4_common.hpp"

namespace nvfp4::detail {
namespace {

class CutlassRecipe final : public BlockScaleRecipe {
 public:
  bool needs_tensor_amax() const override { return true; }
  TensorConstants tensor_constants(float amax) const override {
    TensorConstants t;
    t.k0 = te_encode_scale(amax);                                 // st
    t.k1 = static_cast<float>(1.0 / static_cast<double>(t.k0));  // decode scale
    t.k2 = t.k0 * kOneSixth;
    return t;
  }
  float stored_tensor_scale(const TensorConstants& t) const override { return t.k1; }
  BlockScale block_scale(float b, const TensorConstants& t) const override {
    const uint8_t sf = ue4m3_from_float(b * t.k2);
    const float r = t.k0 * (1.0f / e4m3_to_float(sf));
    return {sf, r < FLT_MAX ? r : FLT_MAX};
  }
  bool divides() const override { return false; }
  ElementKind element() const override { return ElementKind::E2M1; }
  float decode_scale(uint32_t code) const override { return ue4m3_to_float(static_cast<uint8_t>(code)); }
};

}  // namespace

std::unique_ptr<BlockScaleRecipe> make_nvfp4_cutlass_recipe() { return std::make_unique<CutlassRecipe>(); }

}  // namespace nvfp4::detail
