// MXFP4 block scales (OCP Microscaling v1.0; NVFP4_SPEC.md section 4). No tensor scale (stored as 1).
//   floor: e = floor(log2 b) - 2 from b's fp32 exponent bits, clamped to [-127, 127]; code = e + 127;
//          q_i = e2m1_rn(x_i * 2^-e); b = 0 gives code 0x00.
//   rceil: scale = ue8m0_rp(b * (1/6)); q_i = e2m1_rn(x_i / scale).
#include <cmath>
#include <cstring>
#include <memory>

#include "numerics/formats.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/nvfp4_common.hpp"

namespace nvfp4::detail {
namespace {

class Mxfp4Base : public BlockScaleRecipe {
 public:
  bool needs_tensor_amax() const override { return false; }
  TensorConstants tensor_constants(float) const override { return {}; }
  float stored_tensor_scale(const TensorConstants&) const override { return 1.0f; }
  ElementKind element() const override { return ElementKind::E2M1; }
  float decode_scale(uint32_t code) const override { return ue8m0_to_float(static_cast<uint8_t>(code)); }
};

class FloorRecipe final : public Mxfp4Base {
 public:
  BlockScale block_scale(float b, const TensorConstants&) const override {
    if (b == 0.0f) return {0x00, 1.0f};  // all elements are zero: any factor gives code 0 / 0x8
    uint32_t bits;
    std::memcpy(&bits, &b, sizeof bits);
    int e = static_cast<int>((bits >> 23) & 0xFF) - 127 - 2;  // floor(log2 b) - emax(E2M1) from the exponent bits
    e = e < -127 ? -127 : (e > 127 ? 127 : e);
    return {static_cast<uint32_t>(e + 127), std::ldexp(1.0f, -e)};
  }
  bool divides() const override { return false; }
};

class RCeilRecipe final : public Mxfp4Base {
 public:
  BlockScale block_scale(float b, const TensorConstants&) const override {
    const uint8_t code = ue8m0_from_float(b * kOneSixth, Round::TowardPosInf);
    return {code, ue8m0_to_float(code)};
  }
  bool divides() const override { return true; }
};

}  // namespace

std::unique_ptr<BlockScaleRecipe> make_mxfp4_floor_recipe() { return std::make_unique<FloorRecipe>(); }
std::unique_ptr<BlockScaleRecipe> make_mxfp4_rceil_recipe() { return std::make_unique<RCeilRecipe>(); }

}  // namespace nvfp4::detail
