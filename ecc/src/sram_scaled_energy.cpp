// Literature SRAM energy: C V^2, size-scaled dynamic energy and a leakage table over V / V_nom.
#include "ecc/sram_scaled_energy.hpp"

#include <cmath>
#include <string>

#include "ecc/failure_model.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

ScaledSramEnergy::ScaledSramEnergy(SramEnergyParams params) : p_(std::move(params)) {
  const std::string who = "SRAM energy preset '" + p_.name + "'";
  if (!(p_.nominal_vdd_v > 0.0)) throw Error(who + ": nominal_vdd_v must be > 0 V");
  if (p_.read_pj_per_bit < 0.0 || p_.write_pj_per_bit < 0.0 || p_.leak_uw_per_kib < 0.0) {
    throw Error(who + ": energy and leakage figures must be >= 0");
  }
  if (!(p_.ref_capacity_kib > 0.0)) throw Error(who + ": ref_capacity_kib must be > 0");
  if (p_.leakage_table.empty() || std::abs(p_.leakage_table.back().vdd_over_nominal - 1.0) > 1e-12 ||
      std::abs(p_.leakage_table.back().leak_over_nominal - 1.0) > 1e-12) {
    throw Error(who + ": the leakage table must end at (V/V_nom = 1, P/P_nom = 1)");
  }
  for (size_t i = 1; i < p_.leakage_table.size(); ++i) {
    if (!(p_.leakage_table[i].vdd_over_nominal > p_.leakage_table[i - 1].vdd_over_nominal)) {
      throw Error(who + ": leakage table voltages must be strictly increasing");
    }
  }
}

SramBankCost ScaledSramEnergy::bank_cost(double vdd_v, int word_bits, double capacity_kib) const {
  check_vdd(vdd_v, p_.nominal_vdd_v);
  if (word_bits < 1) throw Error("SRAM word width must be >= 1 bit");
  if (!(capacity_kib > 0.0)) throw Error("SRAM capacity must be > 0 KiB");
  const double v = vdd_v / p_.nominal_vdd_v;
  const double scale = v * v * std::pow(capacity_kib / p_.ref_capacity_kib, p_.size_exponent);
  SramBankCost c;
  c.read_pj = p_.read_pj_per_bit * word_bits * scale;
  c.write_pj = p_.write_pj_per_bit * word_bits * scale;
  c.leakage_uw = p_.leak_uw_per_kib * capacity_kib * leakage_factor(vdd_v);
  c.provenance = EnergyProvenance::Literature;
  c.detail = p_.name + ": per-bit literature energy x (V/V_nom)^2 x (capacity/" + std::to_string(p_.ref_capacity_kib) +
             " KiB)^" + std::to_string(p_.size_exponent) + "; leakage table";
  return c;
}

double ScaledSramEnergy::leakage_factor(double vdd_v) const {
  check_vdd(vdd_v, p_.nominal_vdd_v);
  const double v = vdd_v / p_.nominal_vdd_v;
  const auto& t = p_.leakage_table;
  if (v <= t.front().vdd_over_nominal) {  // below the table: proportional to the first point (P -> 0 as V -> 0)
    return t.front().leak_over_nominal * v / t.front().vdd_over_nominal;
  }
  size_t hi = 1;
  while (t[hi].vdd_over_nominal < v) ++hi;
  const double f = (v - t[hi - 1].vdd_over_nominal) / (t[hi].vdd_over_nominal - t[hi - 1].vdd_over_nominal);
  return t[hi - 1].leak_over_nominal + f * (t[hi].leak_over_nominal - t[hi - 1].leak_over_nominal);
}

}  // namespace nvfp4::ecc
