// Which technology-table rows the energy model prices an engine from (docs/energy.md, "Rows the simulator reads"):
// the characterized table keys the adder tree and scale unit per lane count and weight format, so L = 8 and L = 16
// are priced from different measured rows, a lane count the table lacks is refused naming the row, SECDED takes the
// bank's own word width when characterized; the literature table keeps its one generic row per component.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "lut/multiplier_styles.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/energy/energy_model.hpp"

using namespace nvfp4::sim;

namespace {
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

SimConfig preset(const std::string& from, const std::string& to, const std::string& table) {
  std::ifstream in("../../sim/presets/edge-small.yaml");
  std::stringstream s;
  s << in.rdbuf();
  std::string text = replaced(s.str(), from, to);
  text = replaced(text, "sky130-characterized.csv", table);
  return parse_config(text, "edge-small.yaml", "../../sim/presets");
}
}  // namespace

TEST_CASE("energy model: engine rows per lane count and weight format", "[sim][energy]") {
  const SimConfig c16 = preset("lanes: 16", "lanes: 16", "sky130-characterized.csv");
  const SimConfig c8 = preset("lanes: 16", "lanes: 8", "sky130-characterized.csv");
  const EnergyModel m16(c16, TechTable::load(c16.arch.technology));
  const EnergyModel m8(c8, TechTable::load(c8.arch.technology));
  CHECK(m16.tree_variant() == "L16/nvfp4");
  CHECK(m8.tree_variant() == "L8/nvfp4");
  CHECK(m8.scale_variant() == "L8/nvfp4/fp32");
  const double v = c16.arch.array.voltage_v;
  // Measured rows of two different engines: the 8-lane engine's scale unit sums 8 products, not 16.
  CHECK(m8.table().energy_pj("scale_unit_op", m8.scale_variant(), v) !=
        m16.table().energy_pj("scale_unit_op", m16.scale_variant(), v));
  CHECK(m16.ecc_variant(32) == std::pair<std::string, double>{"secded32", 1.0});
  CHECK(m16.ecc_variant(48) == std::pair<std::string, double>{"secded64", 48 / 64.0});
  bool listed = false;
  for (const std::string& r : m8.logic_rows()) listed |= r.rfind("adder_tree_add L8/nvfp4: ", 0) == 0;
  CHECK(listed);

  const SimConfig c64 = preset("lanes: 16", "lanes: 64", "sky130-characterized.csv");
  const EnergyModel m64(c64, TechTable::load(c64.arch.technology));
  CHECK_THROWS_WITH(m64.energy_pj(ActionCounts{}), Catch::Contains("variant 'L64/nvfp4'"));

  const SimConfig lit = preset("lanes: 16", "lanes: 8", "generic-45nm.csv");
  const EnergyModel ml(lit, TechTable::load(lit.arch.technology));
  CHECK(ml.tree_variant() == "int16");
  CHECK(ml.scale_variant() == "ue4m3");
}

TEST_CASE("characterized table: a measured lane row for every multiplier variant of the registry", "[sim][energy]") {
  const TechTable t = TechTable::load("../../sim/tech/sky130-characterized.csv");
  int variants = 0;
  for (const nvfp4::lut::MultiplierStyle& s : nvfp4::lut::multiplier_styles())
    for (int p = s.param_min; p <= s.param_max; ++p)
      for (nvfp4::lut::WeightFormat f : s.weight_formats) {
        const std::string v = nvfp4::lut::StyleChoice{&s, p}.technology_variant(f);
        INFO(v);
        REQUIRE(t.has_row("lane_multiply", v));
        CHECK(t.row("lane_multiply", v, 1.8).source.rfind("sky130 tt 1.8V: flow lane_", 0) == 0);
        CHECK(t.energy_pj("lane_multiply", v, 1.8) > 0);
        ++variants;
      }
  CHECK(variants >= 17);
}
