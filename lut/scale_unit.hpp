// Scale unit: multiplies the two UE4M3 block scales (sign bits ignored): exponent add plus a 3-bit x 3-bit mantissa
// table. With sig = h << 3 | m (h = hidden bit), sig_a * sig_b = 64*ha*hb + 8*(ha*mb + hb*ma) + T[ma][mb], where
// T is the table; the rest is AND gates and shifts. The scale product is exact:
//   sa * sb = prod * 2^(exp_eff_a + exp_eff_b - 20)       (prod <= 225, 8 bits)
#pragma once
#include <cstdint>

namespace nvfp4::lut {

struct ScaleProduct {
  uint32_t prod = 0;   // sig_a * sig_b
  int exp_sum = 2;     // exp_eff_a + exp_eff_b (2..30)
  bool nan = false;    // either scale code is the E4M3 NaN (0x7F after dropping the sign)
};

ScaleProduct scale_multiply(uint8_t sa_code, uint8_t sb_code);
inline constexpr int kScaleExpOffset = 20;  // value = prod * 2^(exp_sum - kScaleExpOffset)
inline constexpr uint8_t kUnitScaleCode = 0x38;  // E4M3 1.0: the scale of operands that have no block scale

}  // namespace nvfp4::lut
