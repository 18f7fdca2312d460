// SRAM banks tiled from characterized SRAM macros (docs/ecc.md, "sky130-openram"). The macro figures come from a
// generated table (ecc/tech/sky130-openram.csv, written by scripts/characterize --steps sram from the OpenRAM Liberty
// views).
//
// Tiling: a bank of W-bit physical words and D = capacity / W words uses one macro type m (w_m bits x d_m words):
//   columns = ceil(W / w_m), rows = ceil(D / d_m), tiles = columns x rows.
//   Macro choice: the tile macro with the lowest read energy per word access (columns x E_read(m)); ties go to the
//   smaller bank area, then the name.
//   read / write energy per word = columns x E(m, V)   (one row of macros is clocked per access; the other rows and
//                                                       idle cycles are clock-gated: the views price an idle edge
//                                                       like an access, so an ungated clock would cost E per cycle)
//   leakage = tiles x P_leak(m, V);  area = tiles x A(m)   (no bank-level periphery: a lower bound)
// Voltage law, relative to the tiles' characterization voltage V_nom (1.8 V), from the reference macro's corners at
// the same process and temperature (1.7 / 1.8 / 1.9 V):
//   inside [V_lo, V_hi]: piecewise-linear through the reference macro's measured energies (exact at the corners);
//   below V_lo: E(V_lo) x (V / V_lo)^alpha, alpha = least-squares slope of ln E over ln V at the corners (fitted);
//   leakage below V_lo: P(V_lo) x dibl_leakage_ratio(V, V_lo) (a stated law: the views carry one leakage value for
//   every corner, so a fit has nothing to fit; the fitted power-law exponent is reported as leakage_exponent_fit).
// Figures at V_nom are Measured, other voltages in [V_lo, V_hi] Scaled, below V_lo Extrapolated.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ecc/sram_energy.hpp"

namespace nvfp4::ecc {

struct SramMacro {  // one row of the macro table: one macro at one corner
  std::string name, role, process, liberty_file;
  double voltage_v = 0, temperature_c = 0;
  int word_bits = 0;
  int64_t words = 0;
  double area_um2 = 0, leakage_uw = 0, read_pj = 0, write_pj = 0, idle_pj = 0;
};

// Parses a macro table (the CSV format of ecc/tech/; `where` names it in errors). Throws nvfp4::Error naming the line.
std::vector<SramMacro> parse_sram_macro_table(std::string_view csv_text, const std::string& where);
// The committed sky130 OpenRAM table, compiled into the library (generated from ecc/tech/sky130-openram.csv).
std::string_view sky130_openram_table_csv();

class MacroSramModel final : public SramEnergyModel {
 public:
  struct Tiling {
    const SramMacro* macro = nullptr;
    int64_t columns = 0, rows = 0;
    int64_t tiles() const { return columns * rows; }
  };

  // Tiles: rows of role "tile"; law: rows of role "voltage-reference" at the tiles' process and temperature.
  // Throws nvfp4::Error when the table lacks tiles, a reference corner at the tiles' voltage, or is inconsistent.
  MacroSramModel(std::string name, std::vector<SramMacro> table, std::string source);

  SramBankCost bank_cost(double vdd_v, int word_bits, double capacity_kib) const override;
  double nominal_vdd_v() const override { return nominal_v_; }
  std::string describe() const override;

  Tiling tiling(int word_bits, double capacity_kib) const;
  double dynamic_factor(double vdd_v) const;   // E(V) / E(V_nom)
  double leakage_factor(double vdd_v) const;   // P_leak(V) / P_leak(V_nom)
  EnergyProvenance provenance(double vdd_v) const;
  double characterized_min_v() const { return ref_.front().voltage_v; }
  double characterized_max_v() const { return ref_.back().voltage_v; }
  double dynamic_exponent() const { return alpha_; }         // alpha, fitted
  double leakage_exponent_fit() const { return beta_; }      // power-law fit of the measured leakage (0: flat)
  const std::vector<SramMacro>& tiles() const { return tiles_; }
  const std::vector<SramMacro>& reference_corners() const { return ref_; }

 private:
  void check_voltage(double vdd_v) const;
  double interpolate(double vdd_v, double SramMacro::*field) const;
  std::string name_, source_;
  std::vector<SramMacro> tiles_, ref_;  // ref_: sorted by voltage
  double nominal_v_ = 0, alpha_ = 0, beta_ = 0;
  size_t nominal_index_ = 0;
};

}  // namespace nvfp4::ecc
