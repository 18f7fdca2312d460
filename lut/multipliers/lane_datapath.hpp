// The datapath shared by the sign/exponent/significand styles: sign XOR, exponent adder, significand product (the
// style's part), left shift into the exact fixed-point product.
#pragma once
#include <cstdint>

#include "lut/multiplier.hpp"
#include "lut/weight_format.hpp"

namespace nvfp4::lut::detail {

template <class SigProduct>
LaneProduct lane_datapath(WeightFormat w, uint8_t a_code, uint16_t w_code, const SigProduct& sig_product) {
  const Operand a = decode(WeightFormat::E2M1, a_code);
  const Operand b = decode(w, w_code);
  if (b.special) return {0, true};
  const int64_t mag = static_cast<int64_t>(sig_product(a.sig, b.sig)) << product_shift(a, b);
  return {(a.sign != b.sign) ? -mag : mag, false};
}

}  // namespace nvfp4::lut::detail
