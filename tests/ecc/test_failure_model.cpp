// p(V): the cited calibration, the Gaussian Vmin formula, table interpolation and CSV validation.
#include <catch2/catch.hpp>

#include <cmath>

#include "ecc/failure_model.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/error.hpp"
#include "temp_dir.hpp"

using namespace nvfp4::ecc;

TEST_CASE("the 65 nm calibration: 0.23% at 0.55 V and 1.56% at 0.50 V give mu = 0.341 V, sigma = 0.074 V",
          "[failure]") {
  const auto fit = GaussianVminModel::fit(0.55, 0.0023, 0.50, 0.0156, 1.0);
  CHECK(std::round(fit.mu_v() * 1000.0) == 341.0);
  CHECK(std::round(fit.sigma_v() * 1000.0) == 74.0);
  CHECK(fit.bit_error_rate(0.55) == Approx(0.0023).epsilon(1e-9));
  CHECK(fit.bit_error_rate(0.50) == Approx(0.0156).epsilon(1e-9));
  // The preset carries the same numbers, and the rounded parameters reproduce the measurements to a few percent.
  const SramPreset& p = sram_preset("sun2017-65nm");
  CHECK(p.vmin_mu_v == fit.mu_v());
  CHECK(p.vmin_sigma_v == fit.sigma_v());
  const GaussianVminModel rounded(0.341, 0.074, 1.0);
  CHECK(rounded.bit_error_rate(0.55) == Approx(0.0023).epsilon(0.05));
  CHECK(rounded.bit_error_rate(0.50) == Approx(0.0156).epsilon(0.05));
}

TEST_CASE("Gaussian Vmin: p(V) = Phi((mu - V) / sigma), decreasing in V", "[failure]") {
  const GaussianVminModel m(0.4, 0.05, 1.0);
  CHECK(m.bit_error_rate(0.4) == Approx(0.5).epsilon(1e-12));
  CHECK(m.bit_error_rate(0.35) == Approx(0.841344746068543).epsilon(1e-12));   // Phi(1)
  CHECK(m.bit_error_rate(0.5) == Approx(0.0227501319481792).epsilon(1e-12));   // Phi(-2)
  CHECK(m.bit_error_rate(1.0) < 1e-30);  // complement CDF keeps the far tail (no 1 - cdf cancellation)
  CHECK(m.bit_error_rate(1.0) > 0.0);
  double prev = 1.0;
  for (double v = 0.05; v <= 1.0; v += 0.01) {
    const double p = m.bit_error_rate(v);
    CHECK(p < prev);
    prev = p;
  }
}

TEST_CASE("voltages outside (0, nominal] and impossible parameters are refused", "[failure]") {
  const GaussianVminModel m(0.341, 0.074, 1.0);
  CHECK_THROWS_WITH(m.bit_error_rate(0.0), Catch::Contains("must be > 0"));
  CHECK_THROWS_WITH(m.bit_error_rate(-0.5), Catch::Contains("must be > 0"));
  CHECK_THROWS_WITH(m.bit_error_rate(1.2), Catch::Contains("above the nominal"));
  CHECK_NOTHROW(m.bit_error_rate(1.0));
  CHECK_THROWS_AS(GaussianVminModel(0.3, 0.0, 1.0), nvfp4::Error);
  CHECK_THROWS_AS(GaussianVminModel::fit(0.5, 0.01, 0.55, 0.02, 1.0), nvfp4::Error);  // BER rising with V
  CHECK_THROWS_AS(FixedRateModel(1.5, 1.0), nvfp4::Error);
  CHECK_THROWS_AS(FixedRateModel(-0.1, 1.0), nvfp4::Error);
  CHECK(FixedRateModel(0.25, 1.0).bit_error_rate(0.7) == 0.25);
  CHECK_THROWS_WITH(sram_preset("nope"), Catch::Contains("sun2017-65nm"));
}

TEST_CASE("table model: log-linear interpolation, clamped above, refused below", "[failure]") {
  const TableFailureModel t({{0.5, 1e-2}, {0.6, 1e-4}, {0.8, 0.0}, {0.9, 0.0}}, 1.0);
  CHECK(t.bit_error_rate(0.5) == Approx(1e-2));
  CHECK(t.bit_error_rate(0.55) == Approx(1e-3).epsilon(1e-12));  // geometric mean
  CHECK(t.bit_error_rate(0.7) == Approx(5e-5).epsilon(1e-12));   // linear once a point is 0
  CHECK(t.bit_error_rate(0.95) == 0.0);
  CHECK(t.nominal_vdd_v() == 1.0);
  CHECK_THROWS_WITH(t.bit_error_rate(0.45), Catch::Contains("below the lowest"));
  CHECK(TableFailureModel({{0.5, 0.1}, {0.7, 0.01}}, 0.0).nominal_vdd_v() == 0.7);
}

TEST_CASE("CSV tables: good files load, bad ones are refused with the line number", "[failure][csv]") {
  ecc_test::TempDir dir;
  const auto good = dir.write("good.csv", "vdd_v,bit_error_rate\n# a comment\n0.50,0.0156\n0.55, 0.0023\n1.0,0\n");
  const auto t = TableFailureModel::from_csv(good);
  REQUIRE(t.points().size() == 3);
  CHECK(t.points()[1].bit_error_rate == 0.0023);
  CHECK(t.nominal_vdd_v() == 1.0);

  struct Bad { const char* text; const char* message; };
  for (Bad b : {Bad{"vdd_v,bit_error_rate\n0.5,0.01\n0.6,0.02\n", "line 3"},          // non-monotone BER
                Bad{"vdd_v,bit_error_rate\n0.6,0.01\n0.5,0.001\n", "line 3"},         // V not increasing
                Bad{"vdd_v,bit_error_rate\n0.6,0.01\n0.6,0.001\n", "strictly increasing"},
                Bad{"vdd_v,bit_error_rate\n0.5,1.5\n", "outside [0, 1]"},
                Bad{"vdd_v,bit_error_rate\n0.5,-0.1\n", "line 2"},
                Bad{"vdd_v,bit_error_rate\n0.5,0.1\nabc,0.01\n", "line 3"},
                Bad{"vdd_v,bit_error_rate\n0.5,0.1\n0.6\n", "line 3"},               // too few columns
                Bad{"vdd_v,bit_error_rate\n0.5,0.1,7\n", "line 2"},                  // too many columns
                Bad{"vdd_v,bit_error_rate\n-0.5,0.1\n", "must be > 0"},
                Bad{"vdd_v,bit_error_rate\n0.5,nan\n", "not a finite number"},
                Bad{"volts,ber\n0.5,0.1\n", "in header"},
                Bad{"vdd_v,bit_error_rate\n", "no data rows"},
                Bad{"", "Header missing"}}) {
    const auto path = dir.write("bad.csv", b.text);
    INFO(b.text);
    CHECK_THROWS_WITH(TableFailureModel::from_csv(path), Catch::Contains(b.message));
  }
  CHECK_THROWS_WITH(TableFailureModel::from_csv(dir.file("missing.csv")), Catch::Contains("missing.csv"));
}
