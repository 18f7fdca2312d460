// int4 baseline: symmetric, one fp16 scale per group of B (16 or 32) elements, no tensor scale. Defined by this
// project (no NVIDIA source): s = fp16_rn(b / 7), saturated to the largest finite fp16 (65504);
// q_i = clamp(round_half_even(x_i / fp32(s)), -7, 7) as a two's complement nibble; s == 0 (all-zero or vanishing
// group) encodes every element with factor 1 instead, and those |x_i| <= 7 * 2^-25 all round to code 0.
#include <memory>

#include "numerics/formats.hpp"
#include "numerics/quant/block_scaled.hpp"

namespace nvfp4::detail {
namespace {

class Int4Recipe final : public BlockScaleRecipe {
 public:
  bool needs_tensor_amax() const override { return false; }
  TensorConstants tensor_constants(float) const override { return {}; }
  float stored_tensor_scale(const TensorConstants&) const override { return 1.0f; }
  BlockScale block_scale(float b, const TensorConstants&) const override {
    uint16_t s = fp16_from_float(b / 7.0f);
    if ((s & 0x7FFF) >= 0x7C00) s = 0x7BFF;  // Inf (or the NaN of an Inf amax) saturates to 65504
    const float sv = fp16_to_float(s);
    return {s, sv == 0.0f ? 1.0f : sv};
  }
  bool divides() const override { return true; }
  ElementKind element() const override { return ElementKind::Int4; }
  float decode_scale(uint32_t code) const override { return fp16_to_float(static_cast<uint16_t>(code)); }
};

}  // namespace

std::unique_ptr<BlockScaleRecipe> make_int4_recipe() { return std::make_unique<Int4Recipe>(); }

}  // namespace nvfp4::detail
