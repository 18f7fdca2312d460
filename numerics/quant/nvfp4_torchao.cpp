// NVFP4 recipe `torchao`: torchao/prototype/mx_formats/nvfp4_tensor.py, nvfp4_quantize with a per-tensor scale
// (NVFP4_SPEC.md section 3; differences found in the source: docs/numerics.md).
//   g  = A / 2688                                          -> stored tensor scale
//   sf = e4m3(clamp((b / 6) / g, 2^-6, 448))               (no subnormal block scales)
//   r  = (1 / g) / fp32(sf);  q_i = e2m1_rn(clamp(x_i * r, -6, 6))
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
    t.k1 = 1.0f / t.k0;             // 1 / g
    return t;
  }
  float stored_tensor_scale(const TensorConstants& t) const override { return t.k0; }
  BlockScale block_scale(float b, const TensorConstants& t) const override {
    float s = (b / kFp4Max) / t.k0;
    s = clamp_nan_low(s, 0x1p-6f, kFp8Max);
    const uint8_t sf = e4m3_from_float(s);
    return {sf, t.k1 / e4m3_to_float(sf)};
  }
  bool divides() const override { return false; }
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
