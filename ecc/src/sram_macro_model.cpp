// Banks tiled from characterized SRAM macros, with the voltage law fitted on the reference macro's corners.
#include "ecc/sram_macro_model.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "numerics/error.hpp"

namespace nvfp4::ecc {

namespace {
// Least-squares slope of ln y over ln x.
double log_log_slope(const std::vector<SramMacro>& pts, double SramMacro::*y) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  const double n = static_cast<double>(pts.size());
  for (const SramMacro& p : pts) {
    const double lx = std::log(p.voltage_v), ly = std::log(p.*y);
    sx += lx, sy += ly, sxx += lx * lx, sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

std::string fmt(double v, int digits = 3) {
  std::ostringstream s;
  s.precision(digits);
  s << std::fixed << v;
  return s.str();
}
}  // namespace

MacroSramModel::MacroSramModel(std::string name, std::vector<SramMacro> table, std::string source)
    : name_(std::move(name)), source_(std::move(source)) {
  const std::string who = "SRAM macro model '" + name_ + "'";
  for (const SramMacro& m : table)
    if (m.role == "tile") tiles_.push_back(m);
  if (tiles_.empty()) throw Error(who + ": the table has no tile macros");
  const SramMacro& t0 = tiles_.front();
  nominal_v_ = t0.voltage_v;
  for (const SramMacro& m : tiles_) {
    if (m.voltage_v != nominal_v_ || m.process != t0.process || m.temperature_c != t0.temperature_c) {
      throw Error(who + ": tile macros must share one corner (" + m.name + " differs from " + t0.name + ")");
    }
    if (!(m.read_pj > 0 && m.write_pj > 0 && m.area_um2 > 0 && m.leakage_uw > 0)) {
      throw Error(who + ": tile macro " + m.name + " needs positive energy, leakage and area");
    }
  }
  for (const SramMacro& m : table)
    if (m.role == "voltage-reference" && m.process == t0.process && m.temperature_c == t0.temperature_c)
      ref_.push_back(m);
  std::sort(ref_.begin(), ref_.end(), [](const SramMacro& a, const SramMacro& b) { return a.voltage_v < b.voltage_v; });
  if (ref_.size() < 2) throw Error(who + ": the voltage law needs >= 2 reference corners at the tiles' corner");
  for (size_t i = 0; i < ref_.size(); ++i) {
    if (ref_[i].name != ref_[0].name) throw Error(who + ": reference corners of two macros");
    if (i && !(ref_[i].voltage_v > ref_[i - 1].voltage_v)) throw Error(who + ": repeated reference voltage");
    if (i && (ref_[i].read_pj < ref_[i - 1].read_pj || ref_[i].write_pj < ref_[i - 1].write_pj ||
              ref_[i].leakage_uw < ref_[i - 1].leakage_uw)) {
      throw Error(who + ": reference energy or leakage falls as the voltage rises");
    }
    if (!(ref_[i].read_pj > 0 && ref_[i].write_pj > 0 && ref_[i].leakage_uw > 0)) {
      throw Error(who + ": reference corners need positive energy and leakage");
    }
    if (ref_[i].voltage_v == nominal_v_) nominal_index_ = i + 1;
  }
  if (!nominal_index_) throw Error(who + ": no reference corner at the tiles' voltage " + fmt(nominal_v_) + " V");
  --nominal_index_;
  alpha_ = log_log_slope(ref_, &SramMacro::read_pj);
  beta_ = log_log_slope(ref_, &SramMacro::leakage_uw);
  if (!(alpha_ > 0)) throw Error(who + ": the fitted dynamic-energy exponent is not positive");
}

void MacroSramModel::check_voltage(double vdd_v) const {
  if (!(vdd_v > 0.0) || !std::isfinite(vdd_v)) throw Error("SRAM voltage " + fmt(vdd_v) + " V must be > 0 V");
  if (vdd_v > characterized_max_v()) {
    throw Error("SRAM voltage " + fmt(vdd_v) + " V is above the highest characterized corner (" +
                fmt(characterized_max_v()) + " V) of " + name_);
  }
}

double MacroSramModel::interpolate(double vdd_v, double SramMacro::*field) const {
  size_t hi = 1;
  while (ref_[hi].voltage_v < vdd_v) ++hi;
  const SramMacro &a = ref_[hi - 1], &b = ref_[hi];
  if (vdd_v == a.voltage_v) return a.*field;  // exact at the corners
  if (vdd_v == b.voltage_v) return b.*field;
  const double f = (vdd_v - a.voltage_v) / (b.voltage_v - a.voltage_v);
  return a.*field + f * (b.*field - a.*field);
}

double MacroSramModel::dynamic_factor(double vdd_v) const {
  check_voltage(vdd_v);
  const SramMacro& lo = ref_.front();
  const double e = vdd_v < lo.voltage_v ? lo.read_pj * std::pow(vdd_v / lo.voltage_v, alpha_)
                                        : interpolate(vdd_v, &SramMacro::read_pj);
  return e / ref_[nominal_index_].read_pj;
}

double MacroSramModel::leakage_factor(double vdd_v) const {
  check_voltage(vdd_v);
  const SramMacro& lo = ref_.front();
  const double p = vdd_v < lo.voltage_v ? lo.leakage_uw * dibl_leakage_ratio(vdd_v, lo.voltage_v)
                                        : interpolate(vdd_v, &SramMacro::leakage_uw);
  return p / ref_[nominal_index_].leakage_uw;
}

EnergyProvenance MacroSramModel::provenance(double vdd_v) const {
  check_voltage(vdd_v);
  if (vdd_v == nominal_v_) return EnergyProvenance::Measured;
  return vdd_v < characterized_min_v() ? EnergyProvenance::Extrapolated : EnergyProvenance::Scaled;
}

MacroSramModel::Tiling MacroSramModel::tiling(int word_bits, double capacity_kib) const {
  if (word_bits < 1) throw Error("SRAM word width must be >= 1 bit");
  if (!(capacity_kib > 0.0) || !std::isfinite(capacity_kib)) throw Error("SRAM capacity must be > 0 KiB");
  const double words = std::ceil(capacity_kib * 8192.0 / word_bits);
  Tiling best;
  double best_energy = 0, best_area = 0;
  for (const SramMacro& m : tiles_) {
    Tiling t{&m, (word_bits + m.word_bits - 1) / m.word_bits, static_cast<int64_t>(std::ceil(words / m.words))};
    const double energy = t.columns * m.read_pj, area = static_cast<double>(t.tiles()) * m.area_um2;
    if (!best.macro || energy < best_energy || (energy == best_energy && area < best_area) ||
        (energy == best_energy && area == best_area && m.name < best.macro->name)) {
      best = t, best_energy = energy, best_area = area;
    }
  }
  return best;
}

SramBankCost MacroSramModel::bank_cost(double vdd_v, int word_bits, double capacity_kib) const {
  const Tiling t = tiling(word_bits, capacity_kib);
  const double dyn = dynamic_factor(vdd_v), leak = leakage_factor(vdd_v);
  SramBankCost c;
  c.read_pj = t.columns * t.macro->read_pj * dyn;
  c.write_pj = t.columns * t.macro->write_pj * dyn;
  c.leakage_uw = static_cast<double>(t.tiles()) * t.macro->leakage_uw * leak;
  c.area_um2 = static_cast<double>(t.tiles()) * t.macro->area_um2;
  c.provenance = provenance(vdd_v);
  c.detail = name_ + ": " + std::to_string(t.columns) + " x " + std::to_string(t.rows) + " tiles of " + t.macro->name +
             " at " + fmt(vdd_v, 2) + " V (" + std::string(to_string(c.provenance));
  if (c.provenance == EnergyProvenance::Extrapolated) {
    c.detail += " below " + fmt(characterized_min_v(), 2) + " V: energy C V^" + fmt(alpha_) +
                " fitted on the reference corners, leakage DIBL law";
  } else if (c.provenance == EnergyProvenance::Scaled) {
    c.detail += ": the reference macro's measured ratio";
  }
  c.detail += ")";
  return c;
}

std::string MacroSramModel::describe() const {
  std::string tiles;
  for (const SramMacro& m : tiles_) tiles += (tiles.empty() ? "" : ", ") + m.name;
  return name_ + " (" + source_ + "; tiles: " + tiles + " at " + tiles_.front().process + " " +
         fmt(nominal_v_, 2) + " V; voltage law from " + ref_.front().name + " at " + fmt(characterized_min_v(), 2) +
         ".." + fmt(characterized_max_v(), 2) + " V: energy ~ V^" + fmt(alpha_) + " fitted, extrapolated below)";
}

}  // namespace nvfp4::ecc
