// p(V) models: Gaussian Vmin (Boost.Math normal distribution) and measured tables (libfccp CSV).
#include "ecc/failure_model.hpp"

#include <boost/math/distributions/normal.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "numerics/error.hpp"

namespace nvfp4::ecc {
namespace {
std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace
}  // namespace nvfp4::ecc

namespace nvfp4::ecc {

void check_vdd(double vdd_v, double nominal_vdd_v, std::string_view what) {
  if (!(vdd_v > 0.0) || !std::isfinite(vdd_v)) {
    throw Error(std::string(what) + " = " + fmt(vdd_v) + " V: a supply voltage must be > 0 V");
  }
  if (vdd_v > nominal_vdd_v + 1e-12) {
    throw Error(std::string(what) + " = " + fmt(vdd_v) + " V is above the nominal " + fmt(nominal_vdd_v) +
                " V of the SRAM model");
  }
}

GaussianVminModel::GaussianVminModel(double mu_v, double sigma_v, double nominal_vdd_v)
    : mu_(mu_v), sigma_(sigma_v), nominal_(nominal_vdd_v) {
  if (!(sigma_v > 0.0) || !std::isfinite(sigma_v)) throw Error("Gaussian Vmin model: sigma must be > 0 V, got " + fmt(sigma_v));
  if (!(nominal_vdd_v > 0.0) || !std::isfinite(nominal_vdd_v)) {
    throw Error("Gaussian Vmin model: nominal voltage must be > 0 V, got " + fmt(nominal_vdd_v));
  }
  if (!std::isfinite(mu_v)) throw Error("Gaussian Vmin model: mu must be finite");
}

GaussianVminModel GaussianVminModel::fit(double v1, double p1, double v2, double p2, double nominal_vdd_v) {
  for (double p : {p1, p2}) {
    if (!(p > 0.0 && p < 1.0)) throw Error("Gaussian Vmin fit: bit error rate " + fmt(p) + " must be in (0, 1)");
  }
  if (v1 == v2) throw Error("Gaussian Vmin fit: the two voltages must differ");
  const boost::math::normal_distribution<double> unit(0.0, 1.0);
  // p = Phi((mu - V) / sigma)  =>  z = Phi^-1(p) = (mu - V) / sigma  =>  V + sigma z = mu.
  const double z1 = boost::math::quantile(unit, p1);
  const double z2 = boost::math::quantile(unit, p2);
  const double sigma = (v1 - v2) / (z2 - z1);
  if (!(sigma > 0.0)) throw Error("Gaussian Vmin fit: the bit error rate must fall as the voltage rises");
  return GaussianVminModel(v1 + sigma * z1, sigma, nominal_vdd_v);
}

double GaussianVminModel::bit_error_rate(double vdd_v) const {
  check_vdd(vdd_v, nominal_);
  const boost::math::normal_distribution<double> vmin(mu_, sigma_);
  return boost::math::cdf(boost::math::complement(vmin, vdd_v));  // P(Vmin > V)
}

std::string GaussianVminModel::describe() const {
  return "gaussian-vmin(mu=" + fmt(mu_) + " V, sigma=" + fmt(sigma_) + " V, nominal=" + fmt(nominal_) + " V)";
}

TableFailureModel::TableFailureModel(std::vector<Point> points, double nominal_vdd_v, std::string source)
    : points_(std::move(points)), nominal_(nominal_vdd_v), source_(std::move(source)) {
  if (points_.empty()) throw Error(source_ + ": the bit error rate table has no rows");
  for (size_t i = 0; i < points_.size(); ++i) {
    const Point& p = points_[i];
    const std::string where = source_ + " row " + std::to_string(i + 1);
    if (!(p.vdd_v > 0.0) || !std::isfinite(p.vdd_v)) throw Error(where + ": vdd_v = " + fmt(p.vdd_v) + " must be > 0");
    if (!(p.bit_error_rate >= 0.0 && p.bit_error_rate <= 1.0)) {
      throw Error(where + ": bit_error_rate = " + fmt(p.bit_error_rate) + " is outside [0, 1]");
    }
    if (i > 0 && !(p.vdd_v > points_[i - 1].vdd_v)) throw Error(where + ": vdd_v must be strictly increasing");
    if (i > 0 && p.bit_error_rate > points_[i - 1].bit_error_rate) {
      throw Error(where + ": bit_error_rate rises with the voltage (non-monotone table)");
    }
  }
  if (nominal_ <= 0.0) nominal_ = points_.back().vdd_v;
  if (nominal_ < points_.back().vdd_v) {
    throw Error(source_ + ": nominal voltage " + fmt(nominal_) + " V is below the table's highest voltage");
  }
}

double TableFailureModel::bit_error_rate(double vdd_v) const {
  check_vdd(vdd_v, nominal_);
  if (vdd_v < points_.front().vdd_v) {
    throw Error("vdd = " + fmt(vdd_v) + " V is below the lowest voltage " + fmt(points_.front().vdd_v) + " V of " +
                source_);
  }
  if (vdd_v >= points_.back().vdd_v) return points_.back().bit_error_rate;
  size_t hi = 1;
  while (points_[hi].vdd_v < vdd_v) ++hi;
  const Point& a = points_[hi - 1];
  const Point& b = points_[hi];
  const double t = (vdd_v - a.vdd_v) / (b.vdd_v - a.vdd_v);
  if (a.bit_error_rate > 0.0 && b.bit_error_rate > 0.0) {
    const double la = std::log10(a.bit_error_rate), lb = std::log10(b.bit_error_rate);
    return std::pow(10.0, la + t * (lb - la));
  }
  return a.bit_error_rate + t * (b.bit_error_rate - a.bit_error_rate);
}

std::string TableFailureModel::describe() const {
  return "table(" + source_ + ", " + std::to_string(points_.size()) + " points, nominal=" + fmt(nominal_) + " V)";
}

}  // namespace nvfp4::ecc

namespace nvfp4::ecc {

FixedRateModel::FixedRateModel(double ber, double nominal_vdd_v) : ber_(ber), nominal_(nominal_vdd_v) {
  if (!(ber >= 0.0 && ber <= 1.0)) throw Error("bit error rate " + fmt(ber) + " is outside [0, 1]");
  if (!(nominal_vdd_v > 0.0) || !std::isfinite(nominal_vdd_v)) throw Error("nominal voltage must be > 0 V");
}

double FixedRateModel::bit_error_rate(double vdd_v) const {
  check_vdd(vdd_v, nominal_);
  return ber_;
}

std::string FixedRateModel::describe() const { return "fixed(ber=" + fmt(ber_) + ", nominal=" + fmt(nominal_) + " V)"; }

}  // namespace nvfp4::ecc
