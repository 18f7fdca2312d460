// Literature SRAM energy model (docs/ecc.md, "Energy"): per-bit figures at a reference size, scaled.
//   dynamic energy per access [pJ] = e_ref_pj_per_bit * word_bits * (V / V_nom)^2 * (capacity / ref_capacity)^alpha
//     (C*V^2 switching energy; bit-line/word-line capacitance grows with the array, alpha from the cited sizes)
//   leakage power [uW] = leak_ref_uw_per_kib * capacity_kib * f(V), f from a table of P_leak(V)/P_leak(V_nom),
//     linear interpolation in V, f(V_nom) = 1.
// No area (callers price bit cells x bits with their technology table).
#pragma once
#include <string>
#include <vector>

#include "ecc/sram_energy.hpp"

namespace nvfp4::ecc {

struct SramEnergyParams {
  std::string name;
  std::string source;                     // citation of the figures
  double nominal_vdd_v = 0.9;
  double read_pj_per_bit = 0.0;           // at nominal V and ref_capacity_kib
  double write_pj_per_bit = 0.0;
  double ref_capacity_kib = 8.0;
  double size_exponent = 0.5;             // alpha
  double leak_uw_per_kib = 0.0;           // at nominal V
  struct LeakPoint {
    double vdd_over_nominal;              // V / V_nom, strictly increasing, last = 1
    double leak_over_nominal;             // P_leak(V) / P_leak(V_nom)
  };
  std::vector<LeakPoint> leakage_table;
};

class ScaledSramEnergy final : public SramEnergyModel {
 public:
  // Throws nvfp4::Error when a figure is negative, the table is not increasing in V or does not end at 1.
  explicit ScaledSramEnergy(SramEnergyParams params);
  const SramEnergyParams& params() const { return p_; }

  SramBankCost bank_cost(double vdd_v, int word_bits, double capacity_kib) const override;
  double nominal_vdd_v() const override { return p_.nominal_vdd_v; }
  std::string describe() const override { return p_.name + " (" + p_.source + ")"; }
  double leakage_factor(double vdd_v) const;  // f(V) of the table

 private:
  SramEnergyParams p_;
};

}  // namespace nvfp4::ecc
