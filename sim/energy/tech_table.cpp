#include "sim/energy/tech_table.hpp"

#include <libfccp/csv.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "numerics/error.hpp"

namespace nvfp4::sim {

TechTable TechTable::load(const std::string& path) {
  TechTable t;
  t.path_ = path;
  try {
    io::CSVReader<9, io::trim_chars<' ', '\t', '\r'>, io::double_quote_escape<',', '"'>, io::throw_on_overflow,
                  io::single_line_comment<'#'>>
        in(path);
    in.read_header(io::ignore_extra_column | io::ignore_missing_column, "component", "variant", "voltage_v",
                   "energy_pj", "leakage_uw", "area_um2", "source", "e_fit_z0_pj", "e_fit_slope_pj");
    for (const char* required : {"component", "variant", "voltage_v", "energy_pj", "leakage_uw", "area_um2", "source"})
      if (!in.has_column(required)) throw Error(path + ": the technology table has no column '" + required + "'");
    TechRow r;
    std::string z0, slope;
    while (in.read_row(r.component, r.variant, r.voltage_v, r.energy_pj, r.leakage_uw, r.area_um2, r.source, z0,
                       slope)) {
      const std::string where = path + ":" + std::to_string(in.get_file_line());
      if (!(r.voltage_v > 0)) throw Error(where + ": voltage_v must be > 0");
      if (r.energy_pj < 0 || r.leakage_uw < 0 || r.area_um2 < 0) throw Error(where + ": negative figure");
      if (r.source.empty()) throw Error(where + ": every row needs a source");
      r.e_fit_z0_pj = r.e_fit_slope_pj = NAN;
      if (!z0.empty() && !slope.empty()) {
        try {
          r.e_fit_z0_pj = std::stod(z0);
          r.e_fit_slope_pj = std::stod(slope);
        } catch (const std::exception&) {
          throw Error(where + ": e_fit_z0_pj / e_fit_slope_pj must be numbers");
        }
      }
      t.rows_.push_back(r);
      z0.clear();
      slope.clear();
    }
  } catch (const io::error::base& e) {
    throw Error(std::string("technology table: ") + e.what());
  }
  if (t.rows_.empty()) throw Error(path + ": the technology table has no rows");
  return t;
}

const TechRow& TechTable::row(const std::string& component, const std::string& variant, double v) const {
  const TechRow* best = nullptr;
  for (const auto& r : rows_)
    if (r.component == component && r.variant == variant &&
        (!best || std::fabs(r.voltage_v - v) < std::fabs(best->voltage_v - v)))
      best = &r;
  if (!best) throw Error(path_ + ": no row for component '" + component + "', variant '" + variant + "'");
  return *best;
}

bool TechTable::has_row(const std::string& component, const std::string& variant) const {
  return std::any_of(rows_.begin(), rows_.end(),
                     [&](const TechRow& r) { return r.component == component && r.variant == variant; });
}

bool TechTable::keyed_by_engine(const std::string& component) const {
  return std::any_of(rows_.begin(), rows_.end(), [&](const TechRow& r) {
    return r.component == component && r.variant.size() > 1 && r.variant[0] == 'L' &&
           std::isdigit(static_cast<unsigned char>(r.variant[1]));
  });
}

double TechTable::energy_pj(const std::string& c, const std::string& var, double v) const {
  const TechRow& r = row(c, var, v);
  return r.energy_pj * (v / r.voltage_v) * (v / r.voltage_v);
}

double TechTable::energy_pj_with_zeros(const std::string& c, const std::string& var, double v, double n,
                                       double zeros) const {
  const TechRow& r = row(c, var, v);
  const double scale = (v / r.voltage_v) * (v / r.voltage_v);
  if (std::isnan(r.e_fit_z0_pj)) return n * r.energy_pj * scale;
  return std::max(0.0, n * r.e_fit_z0_pj + zeros * r.e_fit_slope_pj) * scale;
}

double TechTable::leakage_uw(const std::string& c, const std::string& var, double v) const {
  const TechRow& r = row(c, var, v);
  return r.leakage_uw * std::pow(v / r.voltage_v, 3);
}

std::string TechTable::voltage_provenance(const std::string& c, const std::string& var, double v) const {
  const TechRow& r = row(c, var, v);
  char buf[200];
  if (std::fabs(r.voltage_v - v) < 1e-9)
    std::snprintf(buf, sizeof buf, "measured at %.3g V", v);
  else
    std::snprintf(buf, sizeof buf, "EXTRAPOLATED from %.3g V to %.3g V (dynamic x (V/V0)^2, leakage x (V/V0)^3)",
                  r.voltage_v, v);
  return buf;
}

double TechTable::area_um2(const std::string& c, const std::string& var) const { return row(c, var, 0.0).area_um2; }

}  // namespace nvfp4::sim
