#include "lut/weight_format.hpp"

#include "numerics/error.hpp"

namespace nvfp4::lut {

WeightFormat parse_weight_format(std::string_view name) {
  if (name == "e2m1") return WeightFormat::E2M1;
  if (name == "e4m3") return WeightFormat::E4M3;
  if (name == "fp16") return WeightFormat::FP16;
  throw Error("weight format: unknown '" + std::string(name) + "' (accepted: e2m1, e4m3, fp16)");
}

std::string_view to_string(WeightFormat f) {
  switch (f) {
    case WeightFormat::E2M1: return "e2m1";
    case WeightFormat::E4M3: return "e4m3";
    case WeightFormat::FP16: return "fp16";
  }
  return "?";
}

FormatInfo format_info(WeightFormat f) {
  switch (f) {
    case WeightFormat::E2M1: return {4, 2, 1, 1};
    case WeightFormat::E4M3: return {8, 4, 3, 7};
    case WeightFormat::FP16: return {16, 5, 10, 15};
  }
  throw Error("weight format: invalid enum value");
}

Operand decode(WeightFormat f, uint32_t code) {
  const FormatInfo fi = format_info(f);
  code &= (1u << fi.code_bits) - 1u;
  const uint32_t man = code & ((1u << fi.man_bits) - 1u);
  const uint32_t exp = (code >> fi.man_bits) & ((1u << fi.exp_bits) - 1u);
  Operand o;
  o.sign = (code >> (fi.code_bits - 1)) & 1u;
  o.exp_eff = exp == 0 ? 1 : static_cast<int>(exp);
  o.sig = (exp != 0 ? (1u << fi.man_bits) : 0u) | man;
  if (f == WeightFormat::E4M3) o.special = (code & 0x7Fu) == 0x7Fu;
  if (f == WeightFormat::FP16) o.special = exp == 0x1Fu;
  return o;
}

// E2M1 LSB is 2^-1 (bias 1 + mbits 1 - 1 for subnormal exponent 1); a weight's LSB is 2^-(bias + mbits - 1).
int product_frac_bits(WeightFormat f) {
  const FormatInfo fi = format_info(f);
  return 1 + fi.bias + fi.man_bits - 1;
}

}  // namespace nvfp4::lut
