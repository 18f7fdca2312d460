// Registries and their consumers agree (docs/DEVELOPING.md, "Registries"): every multiplier style x weight format of
// lut/'s registry is accepted by the simulator's config and builds a lane; pairs the registry lacks are refused; every
// ECC layout, protection mode, dataflow and edge accumulation policy is accepted; every technology-table and Yosys
// results row names a registry variant with the registry's Verilog parameters. (Verilog and the committed
// docs/registry.{json,md}: tests/sim/test_registry.py.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "ecc/registry.hpp"
#include "lut/multiplier_styles.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "numerics/registry.hpp"
#include "sim/config/bank_protection.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/dataflow/dataflow.hpp"
#include "sim/energy/tech_table.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

namespace {

std::string config(const std::string& array_extra, const std::string& bank_extra = "") {
  return "version: 1\narchitecture:\n  name: t\n  clock_mhz: 100\n  technology: tech.csv\n"
         "  array: {rows: 2, cols: 2, lanes: 4" + array_extra + "}\n  sram:\n"
         "    activations: {size_kib: 4, word_bits: 64, voltage_v: 0.8" + bank_extra + "}\n"
         "    weights: {size_kib: 4, word_bits: 64, voltage_v: 0.8" + bank_extra + "}\n"
         "    scales: {size_kib: 4, word_bits: 64, voltage_v: 0.8" + bank_extra + "}\n"
         "    outputs: {size_kib: 4, word_bits: 64, voltage_v: 0.8}\n"
         "  offchip: {bandwidth_bytes_per_cycle: 4, latency_cycles: 10, energy_pj_per_bit: 5}\n";
}

SimConfig parse(const std::string& text) { return parse_config(text, "cfg.yaml", "/base"); }

// Registry variants: every (style name, weight format) pair with hardware.
std::set<std::pair<std::string, lut::WeightFormat>> variants() {
  std::set<std::pair<std::string, lut::WeightFormat>> v;
  for (const std::string& n : lut::multiplier_style_names())
    for (lut::WeightFormat f : lut::parse_multiplier_style(n).style->weight_formats) v.insert({n, f});
  return v;
}

std::filesystem::path repo() { return NVFP4_SOURCE_DIR; }

std::vector<std::vector<std::string>> csv_rows(const std::filesystem::path& p) {
  std::ifstream in(p);
  REQUIRE(in);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) {
      const auto b = c.find_first_not_of(" \t"), e = c.find_last_not_of(" \t\r");
      cells.push_back(b == std::string::npos ? "" : c.substr(b, e - b + 1));
    }
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("registry: the simulator accepts exactly lut/'s multiplier styles x weight formats", "[registry]") {
  const auto v = variants();
  REQUIRE(v.size() >= 13);  // 4 styles, split-lut:2..4, 3 formats minus full-lut x fp16
  for (const std::string& n : lut::multiplier_style_names())
    for (const lut::WeightFormatInfo& f : lut::weight_formats()) {
      INFO(n << " with " << to_string(f.scheme) << " weights");
      const std::string text = config(", multiplier: " + n + ", weight_format: " + std::string(to_string(f.scheme)));
      if (v.count({n, f.format})) {
        const SimConfig c = parse(text);
        CHECK(c.arch.array.multiplier == n);
        CHECK(lut::make_multiplier(n, f.format)->style() == n);  // round-trips through lut/
      } else {
        CHECK_THROWS_WITH(parse(text), Catch::Contains("architecture.array.multiplier"));
      }
    }
  CHECK_THROWS_WITH(parse(config(", multiplier: booth")), Catch::Contains("accepted: mantissa-lut"));
}

TEST_CASE("registry: every ECC layout, mode, dataflow and edge accumulator is accepted", "[registry]") {
  for (const ecc::LayoutInfo& l : ecc::protection_layouts()) {
    INFO(l.syntax);
    const std::string name = l.parameterized ? "custom:code=0x8,scale=0xF0,tensor=1" : std::string(l.name);
    const SimConfig c = parse(config("", ", ecc_layout: '" + name + "'"));
    CHECK(c.arch.weights.ecc_layout == name);
    for (int b = 0; b < kBankCount - 1; ++b) CHECK_NOTHROW(protected_fraction(c.arch, static_cast<BankId>(b)));
  }
  for (const ecc::ProtectionMode& m : ecc::protection_modes())
    CHECK_NOTHROW(parse(config("", ", ecc_layout: full, ecc_mode: " + std::string(m.name))));
  CHECK_THROWS_WITH(parse(config("", ", ecc_mode: triple")), Catch::Contains("architecture.sram.activations.ecc_mode"));
  for (const DataflowInfo& d : dataflows()) {
    CHECK(parse(config(", dataflow: " + std::string(d.name))).arch.array.dataflow == d.name);
    CHECK(make_dataflow(d.name)->name() == d.name);
  }
  for (const AccumPolicyInfo& p : accum_policies()) {
    const std::string name = p.kind == AccumPolicy::Kind::Fixed ? "fixed:24:8" : std::string(p.name);
    CHECK(AccumPolicy::parse(name).kind == p.kind);
    if (p.kind == AccumPolicy::Kind::BlackwellMma)  // a GPU model, not a datapath of the edge engine (lut/)
      CHECK_THROWS(parse(config(", accumulator: " + name)));
    else
      CHECK(parse(config(", accumulator: " + name)).arch.array.accumulator.kind == p.kind);
  }
}

TEST_CASE("registry: technology-table and Yosys rows name registry variants with its Verilog parameters",
          "[registry]") {
  std::set<std::string> tech, lanes;
  std::map<std::string, std::string> lane_params;
  for (const auto& [name, f] : variants()) {
    const lut::StyleChoice c = lut::parse_multiplier_style(name);
    tech.insert(c.technology_variant(f));
    lanes.insert(c.synth_lane_config(f));
    std::string params = "WFMT=" + std::to_string(lut::weight_format_info(f).verilog_wfmt) +
                         " STYLE=" + std::to_string(c.style->verilog_style);
    if (!c.style->parameter.empty()) params += " " + std::string(c.style->parameter) + "=" + std::to_string(c.param);
    lane_params[c.synth_lane_config(f)] = params;
  }
  int tech_rows = 0;
  for (const auto& entry : std::filesystem::directory_iterator(repo() / "sim" / "tech")) {
    if (entry.path().extension() != ".csv") continue;
    for (const auto& r : csv_rows(entry.path())) {
      if (r.empty() || r[0] != "lane_multiply") continue;
      INFO(entry.path().string() << ": lane_multiply row '" << r[1] << "'");
      CHECK(tech.count(r[1]) == 1);
      ++tech_rows;
    }
  }
  CHECK(tech_rows > 0);
  int lane_rows = 0;
  for (const auto& r : csv_rows(repo() / "rtl_models" / "synth" / "results.csv")) {
    if (r.size() < 3 || r[1] != "lane_mul") continue;
    INFO("rtl_models/synth/results.csv row '" << r[0] << "' (" << r[2] << ")");
    REQUIRE(lanes.count(r[0]) == 1);
    CHECK(lane_params[r[0]] == r[2]);
    ++lane_rows;
  }
  CHECK(lane_rows > 0);
}
