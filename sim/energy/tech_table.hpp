// The technology table (docs/sim.md, "Technology table"): per-action energy, per-instance leakage and area of each
// datapath component, per voltage, with its source. Read with libfccp from sim/tech/*.csv; columns beyond the seven
// below (the characterized table's e_random_pj, toggle_rate, ...) are for people and tests and are ignored here.
#pragma once
#include <cmath>
#include <string>
#include <vector>

namespace nvfp4::sim {

struct TechRow {
  std::string component, variant;
  double voltage_v = 0, energy_pj = 0, leakage_uw = 0, area_um2 = 0;
  std::string source;
  // Optional (characterized tables): energy per action = e_fit_z0_pj + e_fit_slope_pj x z at voltage_v, z the
  // fraction of actions with a zero operand; NaN when the table has no fit for the row.
  double e_fit_z0_pj = NAN, e_fit_slope_pj = NAN;
};

class TechTable {
 public:
  // Throws nvfp4::Error naming the file and line on a malformed row, negative figure or non-positive voltage.
  static TechTable load(const std::string& path);
  const std::string& path() const { return path_; }

  // Figures at supply `v`: the row of (component, variant) nearest in voltage, energy scaled by (v / v_row)^2 and
  // leakage by (v / v_row)^3. Throws nvfp4::Error naming the table and the missing entry.
  double energy_pj(const std::string& component, const std::string& variant, double v) const;
  double leakage_uw(const std::string& component, const std::string& variant, double v) const;
  // Energy [pJ] of `n` actions of which `zeros` had a zero operand, at supply v: the row's zero-fraction fit when it
  // has one, else n x energy_pj (same voltage scaling).
  double energy_pj_with_zeros(const std::string& component, const std::string& variant, double v, double n,
                              double zeros) const;
  double area_um2(const std::string& component, const std::string& variant) const;
  // How the logic figures at supply `v` were obtained: "measured at v V" when every row the datapath uses sits at
  // v, else "EXTRAPOLATED from <row voltage> V to v V (dynamic x (V/V0)^2, leakage x (V/V0)^3)" (docs/energy.md).
  std::string voltage_provenance(const std::string& component, const std::string& variant, double v) const;
  const TechRow& row(const std::string& component, const std::string& variant, double v) const;
  bool has_row(const std::string& component, const std::string& variant) const;
  // Whether the table keys `component` per engine configuration (a variant "L<lanes>/..."; the characterized table)
  // rather than with one generic row (the literature table's "int16", "ue4m3").
  bool keyed_by_engine(const std::string& component) const;

 private:
  std::string path_;
  std::vector<TechRow> rows_;
};

}  // namespace nvfp4::sim
