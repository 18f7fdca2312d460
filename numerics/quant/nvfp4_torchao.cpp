// NVFP4 recipe `torchao`: torchao/prototype/mx_formats/nvfp4_tensor.py, _nvfp4_quantize with a per-tensor scale
// (per_tensor_amax_to_scale). The source divides by the total scale where NVFP4_SPEC.md multiplies by a reciprocal;
// we follow the source (docs/numerics.md lists the differences):
//   g  = A / 2688                                          -> stored tensor scale (per_tensor_scale)
//   sf = e4m3(clamp((b / 6) / g, 2^-6, 448))               (E4M3_EPS = smallest normal: no subnormal block scales)
//   q_i = e2m1_rn(clamp(x_i / (g * fp32(sf)), -6, 6))     (clamping before RNE = saturation)
// A == 0 makes g = 0 and (b/6)/g = NaN: torch.clamp keeps NaN, the scale becomes the E4M3 NaN 0x7F and every element
// x / NaN = NaN, which the E2M1 conversion maps to 0x7. This reproduces the source; it is not a useful encoding.
#include <memory>

#include "numerics/formats.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/nvfp4_common.hpp"

namespace nvfp4::detail {
namespace {

class TorchAoRecipe final : public BlockScaleRecipe {
 public:
  bool needs_tensor_amax() const override { return true; }
  TensorConstants tensor_constants(float amax) const override {
    TensorConstants t;
    t.k0 = amax / kFp4TimesFp8Max;  // g
    return t;
  }
  float stored_tensor_scale(const TensorConstants& t) const override { return t.k0; }
  BlockScale block_scale(float b, const TensorConstants& t) const override {
    float s = (b / kFp4Max) / t.k0;
    s = clamp_nan_low(s, 0x1p-6f, kFp8Max);
    const uint8_t sf = e4m3_from_float(s);
    return {sf, t.k0 * e4m3_to_float(sf)};  // total_scale = per_tensor_scale * scaled_block_scales_fp32
  }
  bool divides() const override { return true; }
  ElementKind element() const override { return ElementKind::E2M1; }
  float decode_scale(uint32_t code) const override { return ue4m3_to_float(static_cast<uint8_t>(code)); }

 private:
  // torch.clamp(min, max): a NaN stays NaN (it then encodes as the E4M3 NaN 0x7F).
  static float clamp_nan_low(float v, float lo, float hi) {
    if (v != v) return v;
    return v < lo ? lo : (v > hi ? hi : v);
  }
};

}  // namespace

std::unique_ptr<BlockScaleRecipe> make_nvfp4_torchao_recipe() { return std::make_unique<TorchAoRecipe>(); }

}  // namespace nvfp4::detail
