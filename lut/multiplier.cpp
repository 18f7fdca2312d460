// Style name -> multiplier implementation.
#include "lut/multiplier.hpp"

#include "lut/multipliers/styles.hpp"
#include "lut/tables.hpp"
#include "numerics/error.hpp"

namespace nvfp4::lut {

std::string multiplier_styles_help() {
  return "mantissa-lut, split-lut:2, split-lut:3, split-lut:4, full-lut (e2m1 and e4m3 weights only), array";
}

std::unique_ptr<LaneMultiplier> make_multiplier(std::string_view style, WeightFormat weight) {
  if (style == "mantissa-lut") return make_mantissa_lut(weight);
  if (style == "array") return make_array_multiplier(weight);
  if (style == "full-lut") {
    if (weight == WeightFormat::FP16)
      throw Error("multiplier style 'full-lut': weight format fp16 has no full-product table (2^20 entries); "
                  "use mantissa-lut or split-lut:S");
    return make_full_product_lut(weight);
  }
  if (style.starts_with("split-lut:")) {
    const std::string_view s = style.substr(10);
    if (s.size() != 1 || s[0] < '2' || s[0] > '4')
      throw Error("multiplier style '" + std::string(style) + "': slice width must be 2, 3 or 4 bits");
    return make_split_lut(weight, s[0] - '0');
  }
  throw Error("multiplier style: unknown '" + std::string(style) + "' (accepted: " + multiplier_styles_help() + ")");
}

}  // namespace nvfp4::lut
