#include "sim/run/registry_dump.hpp"

#include <sstream>
#include <string_view>
#include <vector>

#include "ecc/registry.hpp"
#include "lut/lut_storage.hpp"
#include "lut/multiplier_styles.hpp"
#include "numerics/gemm.hpp"
#include "numerics/quant_spec.hpp"
#include "numerics/registry.hpp"
#include "sim/dataflow/dataflow.hpp"

namespace nvfp4::sim {
namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

template <typename T, typename F>
std::string list(const T& items, F fmt) {
  std::string out = "[";
  bool first = true;
  for (const auto& i : items) {
    out += (first ? "" : ", ") + fmt(i);
    first = false;
  }
  return out + "]";
}

// One concrete (style, weight format) pair: the names every consumer keys on.
struct Variant {
  lut::StyleChoice style;
  lut::WeightFormat format;
};
std::vector<Variant> variants() {
  std::vector<Variant> v;
  for (const std::string& name : lut::multiplier_style_names()) {
    const lut::StyleChoice c = lut::parse_multiplier_style(name);
    for (lut::WeightFormat f : c.style->weight_formats) v.push_back({c, f});
  }
  return v;
}

std::string verilog_params(const Variant& v) {
  // In the order rtl_models/synth/results.csv records them.
  std::string p = "{\"WFMT\": " + std::to_string(lut::weight_format_info(v.format).verilog_wfmt) +
                  ", \"STYLE\": " + std::to_string(v.style.style->verilog_style);
  if (!v.style.style->parameter.empty())
    p += ", " + quote(v.style.style->parameter) + ": " + std::to_string(v.style.param);
  return p + "}";
}

}  // namespace

std::string registry_json() {
  std::ostringstream o;
  o << "{\n  \"generated_by\": \"nvfp4sim registry --json (do not edit: docs/DEVELOPING.md, Registries)\",\n";
  o << "  \"weight_formats\": [\n";
  bool first = true;
  for (const auto& f : lut::weight_formats()) {
    o << (first ? "" : ",\n") << "    {\"name\": " << quote(f.name) << ", \"scheme\": " << quote(to_string(f.scheme))
      << ", \"code_bits\": " << lut::format_info(f.format).code_bits << ", \"verilog_wfmt\": " << f.verilog_wfmt << "}";
    first = false;
  }
  o << "\n  ],\n  \"multiplier_styles\": [\n";
  first = true;
  for (const auto& s : lut::multiplier_styles()) {
    std::vector<int> params;
    for (int p = s.param_min; !s.parameter.empty() && p <= s.param_max; ++p) params.push_back(p);
    o << (first ? "" : ",\n") << "    {\"name\": " << quote(s.name) << ", \"parameter\": "
      << (s.parameter.empty() ? "null" : quote(s.parameter))
      << ", \"parameter_values\": " << list(params, [](int p) { return std::to_string(p); })
      << ", \"weight_formats\": "
      << list(s.weight_formats, [](lut::WeightFormat f) { return quote(lut::weight_format_info(f).name); })
      << ", \"verilog_style\": " << s.verilog_style << ", \"in_engine_rtl\": " << (s.in_engine_rtl ? "true" : "false")
      << ", \"synth_key\": " << quote(s.synth_key) << ", \"summary\": " << quote(s.summary) << "}";
    first = false;
  }
  o << "\n  ],\n  \"multiplier_variants\": [\n";
  first = true;
  for (const Variant& v : variants()) {
    o << (first ? "" : ",\n") << "    {\"style\": " << quote(v.style.name()) << ", \"weight_format\": "
      << quote(lut::weight_format_info(v.format).name) << ", \"scheme\": "
      << quote(to_string(lut::weight_format_info(v.format).scheme)) << ", \"technology_variant\": "
      << quote(v.style.technology_variant(v.format)) << ", \"synth_key\": " << quote(v.style.synth_key())
      << ", \"synth_lane_config\": " << quote(v.style.synth_lane_config(v.format))
      << ", \"verilog\": " << verilog_params(v) << "}";
    first = false;
  }
  o << "\n  ],\n  \"ecc_layouts\": "
    << list(ecc::protection_layouts(), [](const ecc::LayoutInfo& l) {
         return "{\"name\": " + quote(l.name) + ", \"syntax\": " + quote(l.syntax) + ", \"parameterized\": " +
                (l.parameterized ? "true" : "false") + ", \"protects\": " + quote(l.protects) + "}";
       })
    << ",\n  \"ecc_codes\": "
    << list(ecc::protected_codes(), [](const ecc::CodeInfo& c) {
         return "{\"name\": " + quote(c.name) + ", \"summary\": " + quote(c.summary) + "}";
       })
    << ",\n  \"ecc_modes\": "
    << list(ecc::protection_modes(), [](const ecc::ProtectionMode& m) {
         return "{\"name\": " + quote(m.name) + ", \"code\": " + quote(ecc::to_string(m.code)) +
                ", \"protected_at_nominal\": " + (m.protected_at_nominal ? "true" : "false") +
                ", \"summary\": " + quote(m.summary) + "}";
       })
    << ",\n  \"lut_storages\": "
    << list(lut::lut_storages(), [](const lut::LutStorage& s) {
         return "{\"name\": " + quote(s.name) + ", \"written\": " + (s.written ? "true" : "false") +
                ", \"voltage_faults\": " + (s.voltage_faults ? "true" : "false") + ", \"priced_by\": " +
                quote(s.priced_by) + ", \"summary\": " + quote(s.summary) + "}";
       })
    << ",\n  \"dataflows\": "
    << list(dataflows(), [](const DataflowInfo& d) {
         return "{\"name\": " + quote(d.name) + ", \"long_name\": " + quote(d.long_name) + ", \"stationary\": " +
                quote(d.stationary) + "}";
       })
    << ",\n  \"schemes\": "
    << list(all_schemes(), [](Scheme s) {
         const QuantSpec d = QuantSpec::defaults_for(s);
         return "{\"name\": " + quote(to_string(s)) + ", \"recipes\": " +
                list(recipes_for(s), [](Recipe r) { return quote(to_string(r)); }) + ", \"default_recipe\": " +
                quote(to_string(d.recipe)) + ", \"default_block\": " + std::to_string(d.block) +
                ", \"code_bits\": " + std::to_string(code_bits(s)) + ", \"block_scale\": " +
                (has_block_scale(s) ? "true" : "false") + "}";
       })
    << ",\n  \"recipes\": " << list(all_recipes(), [](Recipe r) { return quote(to_string(r)); })
    << ",\n  \"roundings\": " << list(all_roundings(), [](Rounding r) { return quote(to_string(r)); })
    << ",\n  \"accumulation_policies\": "
    << list(accum_policies(), [](const AccumPolicyInfo& p) {
         return "{\"name\": " + quote(p.name) + ", \"syntax\": " + quote(p.syntax) + ", \"summary\": " +
                quote(p.summary) + "}";
       })
    << "\n}\n";
  return o.str();
}

std::string registry_markdown() {
  std::ostringstream o;
  o << "# Registries\n\nGenerated by `nvfp4sim registry --markdown`; do not edit (the test `registry_committed` "
       "fails when this file and the C++ registries differ). How to add an entry: docs/DEVELOPING.md, "
       "\"Registries\".\n\n";
  o << "## Multiplier styles (lut/multiplier_styles.cpp)\n\n"
       "| style | weight formats | Verilog STYLE | synthesis key | what it is |\n|---|---|---:|---|---|\n";
  for (const auto& s : lut::multiplier_styles()) {
    std::string fmts;
    for (lut::WeightFormat f : s.weight_formats) fmts += (fmts.empty() ? "" : ", ") + std::string(to_string(f));
    const std::string name = std::string(s.name) + (s.parameter.empty() ? "" : ":" + std::string(s.parameter));
    const std::string key = std::string(s.synth_key) + (s.parameter.empty() ? "" : std::string(s.parameter));
    std::string range;
    if (!s.parameter.empty())
      range = " (" + std::string(s.parameter) + " = " + std::to_string(s.param_min) + ".." +
              std::to_string(s.param_max) + ")";
    o << "| `" << name << "`" << range << " | " << fmts << " | " << s.verilog_style << " | `" << key << "` | "
      << s.summary << " |\n";
  }
  o << "\nWeight formats: ";
  for (const auto& f : lut::weight_formats())
    o << "`" << f.name << "` (" << to_string(f.scheme) << " weights, WFMT " << f.verilog_wfmt << ") ";
  o << "\n\n## LUT storage (lut/lut_storage.cpp)\n\n| storage | loaded | cells fail at low V | priced by | what it is |\n"
       "|---|---|---|---|---|\n";
  for (const auto& s : lut::lut_storages())
    o << "| `" << s.name << "` | " << (s.written ? "yes" : "no") << " | " << (s.voltage_faults ? "yes" : "no") << " | "
      << s.priced_by << " | " << s.summary << " |\n";
  o << "\n## ECC protection layouts (ecc/src/registry.cpp)\n\n| layout | protects |\n|---|---|\n";
  for (const auto& l : ecc::protection_layouts()) o << "| `" << l.syntax << "` | " << l.protects << " |\n";
  o << "\n## ECC protection modes and codes (ecc/src/registry.cpp)\n\n| mode | code | protected bank | what it is |\n"
       "|---|---|---|---|\n";
  for (const auto& m : ecc::protection_modes())
    o << "| `" << m.name << "` | " << ecc::to_string(m.code) << " | "
      << (m.protected_at_nominal ? "nominal supply" : "same supply") << " | " << m.summary << " |\n";
  o << "\nCodes: ";
  for (const auto& c : ecc::protected_codes()) o << "`" << c.name << "` (" << c.summary << ") ";
  o << "\n\n## Dataflows (sim/dataflow/dataflow.cpp)\n\n| dataflow | name | stationary in the array |\n|---|---|---|\n";
  for (const auto& d : dataflows()) o << "| `" << d.name << "` | " << d.long_name << " | " << d.stationary << " |\n";
  o << "\n## Quantization schemes and recipes (numerics/quant/quant_spec.cpp)\n\n"
       "| scheme | recipes (default first) | default block | code bits | block scale |\n|---|---|---:|---:|---|\n";
  for (Scheme s : all_schemes()) {
    std::string r;
    for (Recipe x : recipes_for(s)) r += (r.empty() ? "" : ", ") + std::string(to_string(x));
    o << "| `" << to_string(s) << "` | " << r << " | " << QuantSpec::defaults_for(s).block << " | " << code_bits(s)
      << " | " << (has_block_scale(s) ? "yes" : "no") << " |\n";
  }
  o << "\nRoundings: ";
  for (Rounding r : all_roundings()) o << "`" << to_string(r) << "` ";
  o << "\n\n## Accumulation policies (numerics/gemm/accum_policy.cpp)\n\n| policy | what it is |\n|---|---|\n";
  for (const auto& p : accum_policies()) o << "| `" << p.syntax << "` | " << p.summary << " |\n";
  return o.str();
}

}  // namespace nvfp4::sim
