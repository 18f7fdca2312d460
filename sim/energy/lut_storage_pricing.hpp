// The lanes' product tables as a memory (docs/sim.md, "LUT storage"): what `architecture.array.lut_storage` costs.
// Every lane holds its own copy of its style's table (lut::lane_table: W words of b bits; each lane reads one entry
// per table lookup, every cycle, so a copy cannot be shared without more read ports than the cells have):
//   copies = rows x cols x lanes
//   logic: the ROM is part of the characterized lane (lane_multiply); nothing here, nothing to load.
//   latch: b x W latches (dlxtp_1) and b x (W - 1) 2:1 muxes (mux2_1) per copy, from sim/tech/sky130-lut-cells.csv
//          (Liberty estimate), at lut_voltage_v (dynamic x (V/1.8)^2, leakage x (V/1.8)^3 as the logic table):
//            read per lookup  = b x sum over tree levels j of (W / 2^(j+1)) x 1/2 x (1 - 2^-(j+1)) x E_mux2
//                               (uniformly random stored bits and addresses: a level-j mux output changes when the
//                               leaf it selects changes, probability 1 - 2^-(j+1), to a different bit, 1/2)
//            write per word   = b x 1/2 x E_latch;   leakage = b W L_latch + b (W - 1) L_mux;   area likewise.
//   sram:  one bank per copy of W words x (b + check bits) from ecc/'s SRAM model (architecture.sram_technology) at
//          lut_voltage_v: read per lookup and write per word = the bank's per-word energies, leakage and area per
//          bank; with lut_ecc secded a decoder per read and an encoder per written word (the technology table's
//          secded64 rows scaled by b / 64, at the array voltage, as for the banks).
// Loading (written storages): one image of W x b bits from off-chip memory, written into every copy (broadcast).
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "ecc/sram_energy.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/energy/tech_table.hpp"

namespace nvfp4::sim {

struct LutStorageCost {
  std::string storage = "logic";     // lut/lut_storage.hpp name
  bool written = false;              // loaded before use (latch, sram)
  int64_t copies = 0;                // one per lane
  int64_t words = 0;                 // per copy
  int data_bits = 0, stored_bits = 0;  // per word: table entry bits; physical bits (+ SECDED check bits)
  int lookups_per_product = 0;
  double voltage_v = 0;
  double read_pj = 0;                // per lookup (incl. the SECDED decode)
  double write_pj = 0;               // per word written into one copy (incl. the SECDED encode)
  double leakage_uw = 0;             // all copies
  double area_um2 = 0;               // all copies
  std::string provenance;            // where the figures come from, measured / extrapolated / estimate
  int64_t image_bits() const { return words * data_bits; }  // one table image, as fetched from off-chip memory
  int64_t load_words() const { return written ? copies * words : 0; }
};

// `cells` is the latch cell table (required for latch storage, else unused). Throws nvfp4::Error naming the key.
LutStorageCost price_lut_storage(const ArchSpec& a, const ecc::SramEnergyModel& sram, const TechTable& logic,
                                 const TechTable* cells);

}  // namespace nvfp4::sim
