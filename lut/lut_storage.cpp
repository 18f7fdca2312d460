// The LUT storage registry: one row per option (lut/lut_storage.hpp).
#include "lut/lut_storage.hpp"

#include "numerics/error.hpp"

namespace nvfp4::lut {
namespace {

constexpr LutStorage kStorages[] = {
    {"logic", false, false, "the characterized lane (sim/tech: lane_multiply), the ROM is part of its logic",
     "the table synthesized into each lane as a ROM (the RTL's design); nothing to load"},
    {"latch", true, false,
     "sky130 HD Liberty cells (sim/tech/sky130-lut-cells.csv: dlxtp_1 latch per bit, mux2_1 read tree), estimate",
     "one latch per table bit and a 2:1 mux tree per output bit in each lane, at the LUT supply; loaded before use"},
    {"sram", true, true, "ecc/'s SRAM model of architecture.sram_technology (sky130-openram: tiled OpenRAM macros)",
     "a small SRAM per lane at the LUT supply, optionally SECDED-coded; loaded before use; faults from ecc/'s map"},
};

}  // namespace

std::span<const LutStorage> lut_storages() { return kStorages; }

const LutStorage& parse_lut_storage(std::string_view name) {
  std::string names;
  for (const LutStorage& s : kStorages) {
    if (s.name == name) return s;
    names += (names.empty() ? "" : ", ") + std::string(s.name);
  }
  throw Error("LUT storage: unknown '" + std::string(name) + "' (accepted: " + names + ")");
}

LaneTable lane_table(const StyleChoice& style, WeightFormat f) {
  LaneTable t;
  if (!style.style->table) return t;
  t.has_table = true;
  t.spec = style.style->table(f, style.param);
  t.lookups_per_product = style.style->make(f, style.param)->table_lookups_per_product();
  return t;
}

}  // namespace nvfp4::lut
