// Style name -> multiplier implementation.
#include "lut/multiplier.hpp"

#include "lut/multiplier_styles.hpp"
#include "numerics/error.hpp"

namespace nvfp4::lut {

std::string multiplier_styles_help() {
  std::string s;
  for (const MultiplierStyle& m : multiplier_styles()) {
    s += (s.empty() ? "" : ", ") + std::string(m.name) + (m.parameter.empty() ? "" : ":" + std::string(m.parameter));
    if (m.weight_formats.size() < weight_formats().size()) {
      s += " (";
      for (size_t i = 0; i < m.weight_formats.size(); ++i)
        s += (i ? " and " : "") + std::string(to_string(m.weight_formats[i]));
      s += " weights only)";
    }
  }
  return s;
}

std::unique_ptr<LaneMultiplier> make_multiplier(std::string_view style, WeightFormat weight) {
  const StyleChoice c = parse_multiplier_style(style, weight);
  return c.style->make(weight, c.param);
}

}  // namespace nvfp4::lut
