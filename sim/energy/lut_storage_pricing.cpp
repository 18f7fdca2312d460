#include "sim/energy/lut_storage_pricing.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "ecc/fault_injector.hpp"
#include "ecc/secded.hpp"
#include "lut/lut_storage.hpp"
#include "numerics/error.hpp"

namespace nvfp4::sim {

LutStorageCost price_lut_storage(const ArchSpec& a, const ecc::SramEnergyModel& sram, const TechTable& logic,
                                 const TechTable* cells) {
  const ArraySpec& x = a.array;
  const lut::LutStorage& kind = lut::parse_lut_storage(x.lut_storage);
  LutStorageCost c;
  c.storage = std::string(kind.name);
  c.written = kind.written;
  c.copies = int64_t{x.rows} * x.cols * x.lanes;
  c.voltage_v = x.lut_voltage_v;
  const lut::LaneTable t =
      lut::lane_table(lut::parse_multiplier_style(x.multiplier), lut::weight_format_of(x.weight_format));
  c.words = t.has_table ? t.words() : 0;
  c.data_bits = t.has_table ? t.spec.entry_bits : 0;
  c.stored_bits = c.data_bits;
  c.lookups_per_product = t.lookups_per_product;
  if (!kind.written) {
    c.provenance = "logic: the table is a ROM inside the characterized lane (lane_multiply)";
    return c;
  }
  const double W = static_cast<double>(c.words), b = c.data_bits;
  if (kind.voltage_faults) {  // SRAM
    const bool secded = ecc::parse_protected_code(x.lut_ecc) == ecc::ProtectedCode::Secded;
    if (secded) c.stored_bits += ecc::SecdedCode(c.data_bits).check_bits();
    const ecc::SramBankCost bank = sram.bank_cost(c.voltage_v, c.stored_bits, W * c.stored_bits / 8192.0);
    const double ecc_scale = b / 64.0;
    c.read_pj = bank.read_pj + (secded ? ecc_scale * logic.energy_pj("ecc_decode", "secded64", x.voltage_v) : 0.0);
    c.write_pj = bank.write_pj + (secded ? ecc_scale * logic.energy_pj("ecc_encode", "secded64", x.voltage_v) : 0.0);
    c.leakage_uw = static_cast<double>(c.copies) *
                   (bank.leakage_uw + (secded ? ecc_scale * (logic.leakage_uw("ecc_decode", "secded64", x.voltage_v) +
                                                             logic.leakage_uw("ecc_encode", "secded64", x.voltage_v))
                                              : 0.0));
    c.area_um2 = static_cast<double>(c.copies) * std::max(0.0, bank.area_um2);
    char volts[32];
    std::snprintf(volts, sizeof volts, "%.3g V", c.voltage_v);
    c.provenance = "sram: " + a.sram_technology + " " + std::string(ecc::to_string(bank.provenance)) + " at " + volts +
                   " (" + bank.detail + ")" + (secded ? "; SECDED coder: technology table secded64 x b/64" : "");
    if (bank.area_um2 < 0) c.provenance += "; no area in this SRAM model";
    return c;
  }
  if (!cells) throw Error("lut_storage latch: no LUT cell table (architecture.lut_cells)");
  const double v = c.voltage_v;
  const double e_mux = cells->energy_pj("lut_mux2", "mux2_1", v), e_latch = cells->energy_pj("lut_latch_bit", "dlxtp_1", v);
  double toggles = 0;  // mux outputs that change per lookup, per output bit (random bits and addresses)
  for (int j = 0; (int64_t{1} << (j + 1)) <= c.words; ++j)
    toggles += W / double(int64_t{2} << j) * 0.5 * (1.0 - 1.0 / double(int64_t{2} << j));
  c.read_pj = b * toggles * e_mux;
  c.write_pj = b * 0.5 * e_latch;
  c.leakage_uw = static_cast<double>(c.copies) * (b * W * cells->leakage_uw("lut_latch_bit", "dlxtp_1", v) +
                                                   b * (W - 1) * cells->leakage_uw("lut_mux2", "mux2_1", v));
  c.area_um2 = static_cast<double>(c.copies) * (b * W * cells->area_um2("lut_latch_bit", "dlxtp_1") +
                                                b * (W - 1) * cells->area_um2("lut_mux2", "mux2_1"));
  std::string volts = cells->voltage_provenance("lut_mux2", "mux2_1", v);
  if (volts.starts_with("measured")) volts = "at the Liberty's corner" + volts.substr(volts.find(" at ") + 3);
  c.provenance = "latch: ESTIMATE from sky130 HD Liberty cells (" +
                 std::filesystem::path(cells->path()).filename().string() + ": dlxtp_1 per bit, mux2_1 read tree), " +
                 volts;
  return c;
}

}  // namespace nvfp4::sim
