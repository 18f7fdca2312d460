// Energy, leakage and area of one SRAM bank (docs/ecc.md, "Energy"): one interface, one model per file, chosen by the
// SRAM preset (ecc/sram_presets.hpp):
//   ScaledSramEnergy (sram_scaled_energy.hpp): literature per-bit energies scaled by C V^2 and capacity^alpha;
//   MacroSramModel   (sram_macro_model.hpp):   banks tiled from characterized SRAM macros (sky130 OpenRAM).
// Units are in every name. A bank is given by its physical word (data + check bits) and physical capacity.
#pragma once
#include <string>
#include <string_view>

namespace nvfp4::ecc {

// Where a figure comes from, printed beside it in every report.
enum class EnergyProvenance {
  Literature,    // cited figures scaled by a stated law (not this node's characterization)
  Measured,      // a characterization value at this voltage (Liberty corner)
  Scaled,        // inside the characterized voltage range, by the reference macro's measured ratio
  Extrapolated,  // outside the characterized voltage range, by a fitted / stated law
};
std::string_view to_string(EnergyProvenance p);

struct SramBankCost {
  double read_pj = 0.0;       // one word read at the bank's voltage
  double write_pj = 0.0;      // one word write
  double leakage_uw = 0.0;    // whole bank
  double area_um2 = -1.0;     // whole bank; < 0: this model has no area (callers price bit cells x bits)
  EnergyProvenance provenance = EnergyProvenance::Literature;
  std::string detail;         // how the bank was priced (tiling, law), for reports
};

class SramEnergyModel {
 public:
  virtual ~SramEnergyModel() = default;
  // Throws nvfp4::Error for a voltage outside (0, max voltage], word_bits < 1 or capacity <= 0.
  virtual SramBankCost bank_cost(double vdd_v, int word_bits, double capacity_kib) const = 0;
  virtual double nominal_vdd_v() const = 0;
  virtual std::string describe() const = 0;  // name and sources, one line

  double read_energy_pj(double vdd_v, int word_bits, double capacity_kib) const {
    return bank_cost(vdd_v, word_bits, capacity_kib).read_pj;
  }
  double write_energy_pj(double vdd_v, int word_bits, double capacity_kib) const {
    return bank_cost(vdd_v, word_bits, capacity_kib).write_pj;
  }
  double leakage_power_uw(double vdd_v, int word_bits, double capacity_kib) const {
    return bank_cost(vdd_v, word_bits, capacity_kib).leakage_uw;
  }
};

// Subthreshold leakage with DIBL, relative to a reference voltage: P(V) / P(V_ref) = (V / V_ref) *
// exp(eta (V - V_ref) / (n v_T)), eta = 0.1, n = 1.5, v_T = 25.85 mV (docs/ecc.md, "Leakage law"). A stated model,
// not a measurement.
double dibl_leakage_ratio(double vdd_v, double ref_vdd_v);

}  // namespace nvfp4::ecc
