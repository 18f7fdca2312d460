// Energy and area of a configured design (docs/sim.md, "Energy and area"):
//   energy [pJ] = sum over components of action count x energy per action (technology table at the component's
//                 voltage; SRAM from ecc/'s memory model at each bank's voltage, word width and size; the lanes'
//                 product tables when they are a latch / SRAM memory: lookups x read + words written x write)
//               + leakage power x simulated time.
//   area [um^2] = datapath instances x area per instance (technology table, or the Yosys results of rtl_models/ when
//                 present) + SRAM: the tiled macro area of ecc/'s macro model (sim/energy/sram_pricing.hpp), or
//                 stored bits (data + check bits) x the table's bit-cell area for a literature SRAM model.
// Components always appear in the same order, with the same names (they are column names of layers.csv).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ecc/sram_energy.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/energy/action_counts.hpp"
#include "sim/energy/lut_storage_pricing.hpp"
#include "sim/energy/tech_table.hpp"

namespace nvfp4::sim {

using Breakdown = std::vector<std::pair<std::string, double>>;  // (component, value) in a fixed order
double total(const Breakdown& b);

class EnergyModel {
 public:
  EnergyModel(const SimConfig& config, TechTable table);
  // Energy per component [pJ] of the counted actions.
  Breakdown energy_pj(const ActionCounts& counts) const;
  // Leakage power [uW] of one SRAM bank at its voltage and size (ecc/'s SRAM model): what retention costs per second.
  double bank_leakage_uw(BankId id) const;
  // Area per component [um^2].
  Breakdown area_um2() const;
  std::string area_source() const { area_um2(); return area_source_; }
  const TechTable& table() const { return table_; }
  std::string multiplier_variant() const;  // technology-table variant of the lane multiplier, e.g. mantissa-lut/nvfp4
  // Technology-table variants of the engine's other parts: per configuration when the table is keyed so (the
  // characterized table: adder tree "L16/nvfp4", scale unit "L16/nvfp4/fp32"), else the table's generic row
  // ("int16", "ue4m3"); a configuration the table lacks is refused by the lookup, naming the row.
  std::string tree_variant() const;
  std::string scale_variant() const;
  std::string accumulator_variant() const;  // "fp32" | "fixed32" (fixed:W priced as fixed32 x W/32)
  // SECDED rows for a bank of `word_bits`: secded<word_bits> when the table has both its encoder and decoder, else
  // secded64 scaled by word_bits / 64 (the XOR trees grow about linearly with the data width).
  std::pair<std::string, double> ecc_variant(int word_bits) const;
  // "component variant: source" of every table row this design is priced from (summary.json "logic_rows").
  std::vector<std::string> logic_rows() const;
  const ecc::SramEnergyModel& sram_model() const { return *sram_; }
  // The lanes' product-table storage (sim/energy/lut_storage_pricing.hpp): per lookup, per word written, leakage, area.
  const LutStorageCost& lut_storage() const { return lut_; }

 private:
  const SimConfig& config_;
  TechTable table_;
  std::shared_ptr<const ecc::SramEnergyModel> sram_;
  LutStorageCost lut_;
  mutable std::string area_source_;  // set by area_um2()
};

}  // namespace nvfp4::sim
