// MXFP4 block scales (OCP Microscaling v1.0; NVFP4_SPEC.md section 4). No tensor scale (stored as 1).
//   floor (torchao mx_tensor.py to_mx, ScaleCalculationMode.FLOOR):
//          e = (b's fp32 biased exponent - 127) - 2, clamped to [-127, 127]; code = e + 127 (b = 0 or any subnormal
//          b gives 0x00); q_i = e2m1_rn(x_i / max(2^e, 2^-126)). The 2^-126 floor is torchao's workaround for
//          2^-127 flushing to zero (pytorch #125557): for code 0x00 the elements are scaled by 2^126, not 2^127,
//          although the stored scale decodes to 2^-127. Dividing by 2^e equals multiplying by 2^-e exactly.
//   rceil (cuBLAS "1D block scaling factors", the cvt.rp.satfinite.ue8m0x2.f32 instruction):
//          scale = ue8m0_rp(b * (1/6)); q_i = e2m1_rn(x_i / scale). torchao's RCEIL emulation differs in corner
//          cases (it computes b / 6 and ceil(log2) in fp32, and multiplies by 1 for code 0): docs/numerics.md.
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
    uint32_t bits;
    std::memcpy(&bits, &b, sizeof bits);
    int e = static_cast<int>((bits >> 23) & 0xFF) - 127 - 2;  // floor(log2 b) - emax(E2M1) from the exponent bits
    e = e < -127 ? -127 : (e > 127 ? 127 : e);
    const uint32_t code = static_cast<uint32_t>(e + 127);
    return {code, code == 0 ? 0x1p126f : std::ldexp(1.0f, -e)};
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
