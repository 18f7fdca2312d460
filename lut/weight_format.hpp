// Operand formats of one lane: the activation is always FP4 E2M1; the weight is E2M1, E4M3 or FP16.
// Every format is decoded the same way into the fields the lane datapath uses:
//   value = (-1)^sign * sig * 2^(exp_eff - bias - mbits),   exp_eff = max(exp_field, 1),
//   sig   = (exp_field != 0) << mbits | mantissa            (hidden bit + mantissa; subnormals have hidden = 0).
// The exact product of two operands is then an integer count of product LSBs (see product_frac_bits).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace nvfp4::lut {

enum class WeightFormat : uint8_t {
  E2M1,  // "e2m1": 4-bit code (NVFP4 / MXFP4 / FP4 elements)
  E4M3,  // "e4m3": 8-bit code (FP8 weights); 0x7F / 0xFF are NaN
  FP16,  // "fp16": IEEE half; exponent 31 is Inf / NaN
};

WeightFormat parse_weight_format(std::string_view name);  // throws nvfp4::Error naming the parameter "weight format"
std::string_view to_string(WeightFormat f);

struct FormatInfo {
  int code_bits;  // 4, 8, 16
  int exp_bits;   // 2, 4, 5
  int man_bits;   // 1, 3, 10
  int bias;       // 1, 7, 15
};
FormatInfo format_info(WeightFormat f);

// The fields of one decoded code (activations use WeightFormat::E2M1).
struct Operand {
  bool sign = false;
  int exp_eff = 1;   // max(exp_field, 1): 1..3 (E2M1), 1..15 (E4M3), 1..30 (FP16)
  uint32_t sig = 0;  // hidden bit and mantissa: 0..3, 0..15, 0..2047
  bool special = false;  // NaN (E4M3 0x7F/0xFF) or Inf/NaN (FP16 exponent 31): no finite value
};
Operand decode(WeightFormat f, uint32_t code);

// Fractional bits of the exact fixed-point lane product of E2M1 x f: its LSB is 2^-(1 + bias + mbits - 1) of the
// smallest subnormals: 2 (E2M1 x E2M1), 10 (E2M1 x E4M3), 25 (E2M1 x FP16).
int product_frac_bits(WeightFormat f);
// Left shift of sig_a * sig_w into product LSBs: (exp_eff_a - 1) + (exp_eff_w - 1). The "exponent adder".
inline int product_shift(const Operand& a, const Operand& w) { return (a.exp_eff - 1) + (w.exp_eff - 1); }

}  // namespace nvfp4::lut
