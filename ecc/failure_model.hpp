// Bit-cell failure probability of a voltage-scaled SRAM, p(V) (docs/ecc.md, "SRAM model").
//   GaussianVminModel: each cell's minimum operating voltage Vmin ~ Normal(mu, sigma), so
//                      p(V) = P(Vmin > V) = Phi((mu - V) / sigma)   (Boost.Math normal CDF).
//   TableFailureModel: measured points (vdd_v, bit_error_rate) from a CSV; log-linear interpolation between points.
// Every model refuses V <= 0 and V above its nominal voltage (nvfp4::Error naming the value).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nvfp4::ecc {

class FailureModel {
 public:
  virtual ~FailureModel() = default;
  // Probability that one bit cell fails at supply `vdd_v` volts; throws nvfp4::Error for vdd_v <= 0 or > nominal.
  virtual double bit_error_rate(double vdd_v) const = 0;
  virtual double nominal_vdd_v() const = 0;
  virtual std::string describe() const = 0;  // one line, for reports
};

class GaussianVminModel final : public FailureModel {
 public:
  // Throws nvfp4::Error unless sigma_v > 0 and nominal_vdd_v > 0.
  GaussianVminModel(double mu_v, double sigma_v, double nominal_vdd_v);
  // The (mu, sigma) through two measured points (v1, p1), (v2, p2): z_i = Phi^-1(p_i), sigma = (v1 - v2) / (z2 - z1),
  // mu = v1 + sigma * z1. Throws when the points do not define a decreasing p(V) (p in (0, 1), v1 != v2).
  static GaussianVminModel fit(double v1, double p1, double v2, double p2, double nominal_vdd_v);

  double bit_error_rate(double vdd_v) const override;
  double nominal_vdd_v() const override { return nominal_; }
  std::string describe() const override;
  double mu_v() const { return mu_; }
  double sigma_v() const { return sigma_; }

 private:
  double mu_, sigma_, nominal_;
};

class TableFailureModel final : public FailureModel {
 public:
  struct Point {
    double vdd_v;
    double bit_error_rate;
  };
  // Points must have strictly increasing vdd_v > 0, BER in [0, 1] and non-increasing in V. nominal_vdd_v <= 0 means
  // "the highest voltage of the table". Between points: log10(BER) linear in V when both BERs are > 0, else linear
  // BER; below the lowest point: refused (nvfp4::Error), between the highest point and nominal: the highest point's BER.
  TableFailureModel(std::vector<Point> points, double nominal_vdd_v, std::string source = "table");
  // CSV with the header `vdd_v,bit_error_rate` (read with libfccp's io::CSVReader). Malformed lines, BER outside
  // [0, 1], V not strictly increasing or BER increasing with V: nvfp4::Error naming the file and the line number.
  static TableFailureModel from_csv(const std::string& path, double nominal_vdd_v = 0.0);

  double bit_error_rate(double vdd_v) const override;
  double nominal_vdd_v() const override { return nominal_; }
  std::string describe() const override;
  const std::vector<Point>& points() const { return points_; }

 private:
  std::vector<Point> points_;
  double nominal_;
  std::string source_;
};

// A fixed bit error rate at every voltage (for experiments that sweep the BER directly). Throws nvfp4::Error unless
// 0 <= ber <= 1.
class FixedRateModel final : public FailureModel {
 public:
  FixedRateModel(double ber, double nominal_vdd_v);
  double bit_error_rate(double vdd_v) const override;
  double nominal_vdd_v() const override { return nominal_; }
  std::string describe() const override;

 private:
  double ber_, nominal_;
};

// Throws nvfp4::Error unless 0 < vdd_v <= nominal_vdd_v (with a 1e-12 V tolerance for the nominal itself).
void check_vdd(double vdd_v, double nominal_vdd_v, std::string_view what = "vdd");

}  // namespace nvfp4::ecc
