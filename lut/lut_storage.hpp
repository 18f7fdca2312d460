// Where the lanes' product tables live (docs/lut.md, "Table storage"): the registry of LUT storage options, owned by
// lut/ beside the multiplier styles (docs/DEVELOPING.md, "Registries"); the simulator's `architecture.array.lut_storage`
// key, its energy model, fault path and residency model read it.
//   logic  the table synthesized into the lane as a ROM (the RTL's design; priced inside the characterized lane)
//   latch  a latch array per lane (one standard-cell latch per bit, a 2:1 mux tree per output bit), written at load
//   sram   a small SRAM per lane in its own voltage-scaled bank, optionally SECDED-coded, written at load; its cells
//          fail at low voltage (ecc/'s persistent fault map), so faulty entries change products
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lut/multiplier_styles.hpp"

namespace nvfp4::lut {

struct LutStorage {
  std::string_view name;
  bool written = false;         // its contents are written before use (a load: off-chip read + writes), not fabricated
  bool voltage_faults = false;  // its bit cells fail at low supply (SRAM); latches and ROM are taken as reliable logic
  std::string_view priced_by;   // where its energy / leakage / area come from
  std::string_view summary;
};
std::span<const LutStorage> lut_storages();
// Throws nvfp4::Error listing the accepted names.
const LutStorage& parse_lut_storage(std::string_view name);

// The table one lane of `style` reads for weight format `f`, and its size; nullopt-like `has_table` false for styles
// without a table (the array multiplier), which only take `logic`.
struct LaneTable {
  bool has_table = false;
  TableSpec spec;               // lut/tables.hpp: entries, index and entry widths
  int lookups_per_product = 0;  // table reads per multiply (split-lut: one per slice)
  int64_t words() const { return static_cast<int64_t>(spec.entries.size()); }
  int64_t bits() const { return words() * spec.entry_bits; }
};
LaneTable lane_table(const StyleChoice& style, WeightFormat f);

}  // namespace nvfp4::lut
