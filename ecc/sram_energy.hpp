// Energy of one SRAM bank vs supply voltage and size (docs/ecc.md, "Energy"). Units are in every name.
//   dynamic energy per access [pJ] = e_ref_pj_per_bit * word_bits * (V / V_nom)^2 * (capacity / ref_capacity)^alpha
//     (C*V^2 switching energy; bit-line/word-line capacitance grows with the array, alpha from the cited sizes)
//   leakage power [uW] = leak_ref_uw_per_kib * capacity_kib * f(V), f from a table of P_leak(V)/P_leak(V_nom),
//     linear interpolation in V, f(V_nom) = 1.
#pragma once
#include <string>
#include <vector>

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

class SramEnergyModel {
 public:
  // Throws nvfp4::Error when a figure is negative, the table is not increasing in V or does not end at 1.
  explicit SramEnergyModel(SramEnergyParams params);
  const SramEnergyParams& params() const { return p_; }

  // Voltages are checked with check_vdd against the params' nominal (voltage scaling is relative to it).
  double read_energy_pj(double vdd_v, int word_bits, double capacity_kib) const;
  double write_energy_pj(double vdd_v, int word_bits, double capacity_kib) const;
  double leakage_power_uw(double vdd_v, double capacity_kib) const;
  double leakage_factor(double vdd_v) const;  // f(V) of the table

 private:
  double scale(double vdd_v, double capacity_kib) const;
  SramEnergyParams p_;
};

}  // namespace nvfp4::ecc
