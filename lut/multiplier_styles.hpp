// The registry of lane multiplier styles (docs/DEVELOPING.md, "Registries"): one table, owned by lut/, that every
// other place reads: make_multiplier, the simulator's config validation and energy model (technology-table variant
// and Yosys result keys), the fault path, rtl_models/synth (through `nvfp4sim registry --json` and its committed copy
// docs/registry.json), the tests' parameter lists and the docs tables. Adding a style = one implementation file under
// lut/multipliers/ + one row in multiplier_styles.cpp (+ its Verilog for a hardware style).
#pragma once
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lut/multiplier.hpp"
#include "lut/tables.hpp"
#include "numerics/quant_spec.hpp"

namespace nvfp4::lut {

// Weight formats of a lane: lut's name, the quantization scheme whose element codes they are (the simulator's
// `weight_format` key and the technology table's variant suffix), and the Verilog WFMT parameter value.
struct WeightFormatInfo {
  WeightFormat format;
  std::string_view name;     // "e2m1" (also the synthesis key)
  Scheme scheme;             // nvfp4 | fp8 | fp16
  int verilog_wfmt;          // lane_mul / dot_engine WFMT
};
std::span<const WeightFormatInfo> weight_formats();
const WeightFormatInfo& weight_format_info(WeightFormat f);
// The lane format holding the element codes of `scheme`; throws nvfp4::Error naming the accepted schemes.
WeightFormat weight_format_of(Scheme scheme);

struct MultiplierStyle {
  std::string_view name;          // "mantissa-lut"; with a parameter spelled "<name>:<value>" ("split-lut:3")
  std::string_view parameter;     // "" or the parameter's letter ("S")
  int param_min = 0, param_max = 0;  // accepted parameter values (inclusive)
  std::vector<WeightFormat> weight_formats;  // formats it has hardware / tables for
  int verilog_style = -1;         // lane_mul STYLE parameter value (rtl_models/rtl/lane_mul.sv)
  bool in_engine_rtl = false;     // dot_engine.sv takes it (its STYLE 0..2)
  std::string_view synth_key;     // Yosys result keys: lane_<key>_<fmt>, engine_L<L>_<fmt>_<key>_<acc>; + parameter
  std::string_view summary;
  std::unique_ptr<LaneMultiplier> (*make)(WeightFormat, int param) = nullptr;
  // Table styles: the product table each lane reads (lut/tables.hpp) and the multiplier reading a stored copy of it
  // (entries as read back from the table's storage, lut/lut_storage.hpp). nullptr: no table (the array multiplier).
  TableSpec (*table)(WeightFormat, int param) = nullptr;
  std::unique_ptr<LaneMultiplier> (*make_stored)(WeightFormat, int param, std::span<const int64_t> entries) = nullptr;
  bool accepts(WeightFormat f) const;
};
std::span<const MultiplierStyle> multiplier_styles();

// One concrete style: a registry row and its parameter value (0 without a parameter).
struct StyleChoice {
  const MultiplierStyle* style = nullptr;
  int param = 0;
  std::string name() const;        // canonical: "mantissa-lut", "split-lut:3"
  std::string synth_key() const;   // "mant", "split3"
  // Technology-table variant of lane_multiply: "<name>/<scheme>", e.g. "mantissa-lut/nvfp4".
  std::string technology_variant(WeightFormat f) const;
  // Yosys results row of one lane: "lane_<synth_key>_<fmt>".
  std::string synth_lane_config(WeightFormat f) const;
};
// Throws nvfp4::Error listing the accepted names (unknown style, bad parameter).
StyleChoice parse_multiplier_style(std::string_view name);
// As parse_multiplier_style, and also refuses a style without hardware for the format, naming the ones that have it.
StyleChoice parse_multiplier_style(std::string_view name, WeightFormat f);
// Every concrete style name, parameters expanded ("mantissa-lut", "split-lut:2", ...), in registry order.
std::vector<std::string> multiplier_style_names();

}  // namespace nvfp4::lut
