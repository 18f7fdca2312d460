// The multiplier-style registry: one row per style (lut/multiplier_styles.hpp).
#include "lut/multiplier_styles.hpp"

#include <charconv>

#include "lut/multipliers/styles.hpp"
#include "numerics/error.hpp"

namespace nvfp4::lut {
namespace {

constexpr WeightFormatInfo kFormats[] = {
    {WeightFormat::E2M1, "e2m1", Scheme::NVFP4, 0},
    {WeightFormat::E4M3, "e4m3", Scheme::FP8, 1},
    {WeightFormat::FP16, "fp16", Scheme::FP16, 2},
};

const std::vector<MultiplierStyle>& table() {
  using enum WeightFormat;
  static const std::vector<MultiplierStyle> styles = {
      {"mantissa-lut", "", 0, 0, {E2M1, E4M3, FP16}, 0, true, "mant",
       "sign XOR, exponent adder, LUT of sig_a x sig_w, shift (the design)",
       [](WeightFormat w, int) { return make_mantissa_lut(w); },
       [](WeightFormat w, int) { return mantissa_table(w); },
       [](WeightFormat w, int, std::span<const int64_t> e) { return make_mantissa_lut(w, e); }},
      {"split-lut", "S", 2, 4, {E2M1, E4M3, FP16}, 3, false, "split",
       "as mantissa-lut, the weight significand cut into S-bit slices, one small LUT per slice, partial products added",
       [](WeightFormat w, int s) { return make_split_lut(w, s); },
       [](WeightFormat, int s) { return slice_table(s); },
       [](WeightFormat w, int s, std::span<const int64_t> e) { return make_split_lut(w, s, e); }},
      {"full-lut", "", 0, 0, {E2M1, E4M3}, 1, true, "full",
       "baseline: one LUT indexed by both whole codes (none for fp16: 2^20 entries)",
       [](WeightFormat w, int) { return make_full_product_lut(w); },
       [](WeightFormat w, int) { return full_product_table(w); },
       [](WeightFormat w, int, std::span<const int64_t> e) { return make_full_product_lut(w, e); }},
      {"array", "", 0, 0, {E2M1, E4M3, FP16}, 2, true, "array",
       "baseline: sign XOR, exponent adder, AND-array shift-and-add multiplier of the significands",
       [](WeightFormat w, int) { return make_array_multiplier(w); }},
  };
  return styles;
}

std::string accepted_names() {
  std::string s;
  for (const std::string& n : multiplier_style_names()) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::span<const WeightFormatInfo> weight_formats() { return kFormats; }

const WeightFormatInfo& weight_format_info(WeightFormat f) {
  for (const auto& i : kFormats)
    if (i.format == f) return i;
  throw Error("weight format: invalid enum value");
}

WeightFormat weight_format_of(Scheme scheme) {
  std::string names;
  for (const auto& i : kFormats) {
    if (i.scheme == scheme) return i.format;
    names += (names.empty() ? "" : ", ") + std::string(to_string(i.scheme));
  }
  throw Error("weight format '" + std::string(to_string(scheme)) + "' has no lane multiplier (accepted: " + names + ")");
}

bool MultiplierStyle::accepts(WeightFormat f) const {
  for (WeightFormat w : weight_formats)
    if (w == f) return true;
  return false;
}

std::span<const MultiplierStyle> multiplier_styles() { return table(); }

std::string StyleChoice::name() const {
  return style->parameter.empty() ? std::string(style->name) : std::string(style->name) + ":" + std::to_string(param);
}

std::string StyleChoice::synth_key() const {
  return style->parameter.empty() ? std::string(style->synth_key) : std::string(style->synth_key) + std::to_string(param);
}

std::string StyleChoice::technology_variant(WeightFormat f) const {
  return name() + "/" + std::string(to_string(weight_format_info(f).scheme));
}

std::string StyleChoice::synth_lane_config(WeightFormat f) const {
  return "lane_" + synth_key() + "_" + std::string(weight_format_info(f).name);
}

StyleChoice parse_multiplier_style(std::string_view text) {
  const size_t colon = text.find(':');
  const std::string_view base = text.substr(0, colon);
  for (const MultiplierStyle& s : table()) {
    if (s.name != base) continue;
    StyleChoice c{&s, 0};
    if (s.parameter.empty()) {
      if (colon == std::string_view::npos) return c;
      break;  // a parameter on a style without one: unknown name
    }
    const std::string_view v = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), c.param);
    if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || c.param < s.param_min || c.param > s.param_max)
      throw Error("multiplier style '" + std::string(text) + "': " + std::string(s.parameter) + " (slice width) must be " +
                  std::to_string(s.param_min) + ".." + std::to_string(s.param_max) + " (accepted: " +
                  accepted_names() + ")");
    return c;
  }
  throw Error("multiplier style: unknown '" + std::string(text) + "' (accepted: " + accepted_names() + ")");
}

StyleChoice parse_multiplier_style(std::string_view text, WeightFormat f) {
  StyleChoice c = parse_multiplier_style(text);
  if (!c.style->accepts(f)) {
    std::string ok;
    for (const std::string& n : multiplier_style_names())
      if (parse_multiplier_style(n).style->accepts(f)) ok += (ok.empty() ? "" : ", ") + n;
    throw Error("multiplier style '" + c.name() + "' has no hardware for " + std::string(to_string(f)) +
                " weights (accepted for " + std::string(to_string(f)) + ": " + ok + ")");
  }
  return c;
}

std::vector<std::string> multiplier_style_names() {
  std::vector<std::string> names;
  for (const MultiplierStyle& s : table()) {
    if (s.parameter.empty()) names.emplace_back(s.name);
    for (int p = s.param_min; !s.parameter.empty() && p <= s.param_max; ++p)
      names.push_back(std::string(s.name) + ":" + std::to_string(p));
  }
  return names;
}

}  // namespace nvfp4::lut
