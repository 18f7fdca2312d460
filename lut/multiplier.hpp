// One lane multiplier: activation E2M1 code x weight code -> exact fixed-point product. One interface, one
// implementation per file under lut/multipliers/, chosen by style name:
//   "mantissa-lut"   sign XOR, exponent adder, LUT of sig_a x sig_w (hidden bit + mantissa), shift (the design)
//   "split-lut:S"    as mantissa-lut, but the weight significand is cut into S-bit slices (S = 2..4), each slice
//                    product read from a small LUT and the shifted partial products added (for FP16 weights)
//   "full-lut"       baseline: one LUT indexed by both whole codes, holding the signed fixed-point product
//   "array"          baseline: sign XOR, exponent adder, AND-array shift-and-add multiplier of the significands, shift
// All styles give the same bits; they differ in the hardware they model (area/energy come from rtl_models/synth).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lut/weight_format.hpp"

namespace nvfp4::lut {

// The exact product a * w = fixed * 2^-product_frac_bits(weight format). `special` = the weight had no finite value
// (NaN/Inf code); then `fixed` is 0 and the engine propagates NaN.
struct LaneProduct {
  int64_t fixed = 0;
  bool special = false;
  friend bool operator==(const LaneProduct&, const LaneProduct&) = default;
};

class LaneMultiplier {
 public:
  virtual ~LaneMultiplier() = default;
  // a_code: E2M1 code in the low nibble; w_code: weight code (low 4, 8 or 16 bits by format).
  virtual LaneProduct multiply(uint8_t a_code, uint16_t w_code) const = 0;
  virtual std::string style() const = 0;  // canonical style name, round-trips through make_multiplier
  virtual WeightFormat weight_format() const = 0;
  // Table entries this style reads per product (0 for the array multiplier): for the energy model.
  virtual int table_lookups_per_product() const = 0;
};

// Throws nvfp4::Error naming the parameter for an unknown style, a bad slice width, or a style without a table for the
// weight format ("full-lut" has none for fp16: 2^20 entries).
std::unique_ptr<LaneMultiplier> make_multiplier(std::string_view style, WeightFormat weight);

// The style names accepted for a weight format (for help texts and sweeps).
std::string multiplier_styles_help();

}  // namespace nvfp4::lut
