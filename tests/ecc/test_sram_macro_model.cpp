// sky130-openram SRAM model: Liberty numbers reproduced at the measured corner, the fitted voltage law, monotonicity,
// provenance labels, the tiling rule, and bad tables.
#include <catch2/catch.hpp>

#include <cmath>

#include "ecc/sram_macro_model.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/error.hpp"

using namespace nvfp4::ecc;

namespace {
const MacroSramModel& sky130() { return dynamic_cast<const MacroSramModel&>(*sram_preset("sky130-openram").energy); }
}  // namespace

TEST_CASE("sky130-openram reproduces the Liberty views at the characterized corner", "[sram][sky130]") {
  const MacroSramModel& m = sky130();
  REQUIRE(m.nominal_vdd_v() == 1.8);
  // Oracle: the Liberty files' own numbers (clk0 internal_power rise + fall, cell_leakage_power mW x 1000, area).
  // sky130_sram_1kbyte_1rw1r_32x256_8_TT_1p8V_25C: 9.589466 pJ per edge, 0.009516 mW, 190712.55 um^2.
  const SramBankCost a = m.bank_cost(1.8, 32, 1.0);
  CHECK(a.read_pj == 19.178932);
  CHECK(a.write_pj == 19.178932);
  CHECK(a.leakage_uw == 9.516);
  CHECK(a.area_um2 == 190712.55);
  CHECK(a.provenance == EnergyProvenance::Measured);
  // sky130_sram_1kbyte_1rw1r_8x1024_8: 9.389093 pJ per edge, 0.009517 mW, 203273.238 um^2.
  const SramBankCost b = m.bank_cost(1.8, 8, 1.0);
  CHECK(b.read_pj == 18.778186);
  CHECK(b.leakage_uw == 9.517);
  CHECK(b.area_um2 == 203273.238);
  // The reference macro's corners: the law is exact there (1.7 / 1.9 V: 16.97702 / 21.2066 pJ per edge, 1.8 V 19.03307).
  CHECK(m.dynamic_factor(1.7) == 33.95404 / 38.06614);
  CHECK(m.dynamic_factor(1.9) == 42.4132 / 38.06614);
  CHECK(m.dynamic_factor(1.8) == 1.0);
  // Every tile macro is in the table with its Liberty numbers (2 KB macro: 13.8084 pJ per edge, 0.017726 mW).
  bool found2k = false;
  for (const SramMacro& t : m.tiles())
    if (t.name == "sky130_sram_2kbyte_1rw1r_32x512_8") {
      found2k = true;
      CHECK(t.read_pj == 27.6168);
      CHECK(t.leakage_uw == 17.726);
      CHECK(t.area_um2 == 284538.474);
      CHECK(t.words == 512);
    }
  CHECK(found2k);
}

TEST_CASE("sky130-openram voltage law: fitted exponent, monotone, extrapolation labelled", "[sram][sky130]") {
  const MacroSramModel& m = sky130();
  // OpenRAM's corners follow C V^2 closely: the fitted exponent is 2 within 0.5%.
  CHECK(m.dynamic_exponent() == Approx(2.0).epsilon(0.005));
  CHECK(m.leakage_exponent_fit() == 0.0);  // the views carry one leakage value for every corner
  CHECK(m.characterized_min_v() == 1.7);
  CHECK(m.characterized_max_v() == 1.9);
  double prev_e = 0, prev_l = 0;
  for (int mv = 300; mv <= 1900; mv += 25) {
    const double v = mv / 1000.0;
    const SramBankCost c = m.bank_cost(v, 137, 64.0);
    CHECK(c.read_pj > prev_e);  // dynamic energy strictly rises with V
    if (v <= 1.7) CHECK(c.leakage_uw > prev_l);  // leakage: DIBL law below the corners
    else CHECK(c.leakage_uw >= prev_l);          // flat (as characterized) inside them
    CHECK(c.area_um2 == m.bank_cost(1.8, 137, 64.0).area_um2);
    prev_e = c.read_pj, prev_l = c.leakage_uw;
    const EnergyProvenance want = v < 1.7 ? EnergyProvenance::Extrapolated
                                  : v == 1.8 ? EnergyProvenance::Measured
                                             : EnergyProvenance::Scaled;
    CHECK(c.provenance == want);
    CHECK((c.detail.find("extrapolated") != std::string::npos) == (want == EnergyProvenance::Extrapolated));
  }
  // Below the corners: E(V) = E(1.7) (V / 1.7)^alpha.
  CHECK(m.dynamic_factor(0.85) == Approx(m.dynamic_factor(1.7) * std::pow(0.5, m.dynamic_exponent())));
  CHECK(m.leakage_factor(1.0) == Approx(dibl_leakage_ratio(1.0, 1.7)));
  CHECK(m.leakage_factor(1.0) < 0.5);
  CHECK_THROWS_WITH(m.bank_cost(1.95, 32, 1.0), Catch::Contains("above the highest characterized corner"));
  CHECK_THROWS_AS(m.bank_cost(0.0, 32, 1.0), nvfp4::Error);
  CHECK_THROWS_AS(m.bank_cost(1.8, 0, 1.0), nvfp4::Error);
  CHECK_THROWS_AS(m.bank_cost(1.8, 32, 0.0), nvfp4::Error);
}

TEST_CASE("sky130-openram tiling: lowest energy per word access, then area", "[sram][sky130]") {
  const MacroSramModel& m = sky130();
  // 8-bit words: the 8 x 1024 macro (18.78 pJ) beats a 32 x 256 macro (19.18 pJ) per access.
  CHECK(m.tiling(8, 4.0).macro->name == "sky130_sram_1kbyte_1rw1r_8x1024_8");
  CHECK(m.tiling(8, 4.0).rows == 4);
  // 137-bit SECDED words (128 data + 9 check), 128 KiB of data rows: 5 columns of 32 x 256, ceil(8192 / 256) rows.
  const auto t = m.tiling(137, 137.0);  // 137 KiB of 137-bit words = 8192 words
  CHECK(t.macro->name == "sky130_sram_1kbyte_1rw1r_32x256_8");
  CHECK(t.columns == 5);
  CHECK(t.rows == 32);
  const SramBankCost c = m.bank_cost(1.8, 137, 137.0);
  CHECK(c.read_pj == 5 * 19.178932);
  CHECK(c.leakage_uw == Approx(160 * 9.516));
  CHECK(c.area_um2 == Approx(160 * 190712.55));
  // A 2 KB bank of 32-bit words: two 1 KB macros (one clocked per access) cost less per access than the 2 KB macro.
  CHECK(m.tiling(32, 2.0).macro->name == "sky130_sram_1kbyte_1rw1r_32x256_8");
}

TEST_CASE("macro tables: bad rows are named", "[sram][sky130]") {
  const std::string head =
      "macro,role,process,voltage_v,temperature_c,word_bits,words,area_um2,leakage_uw,read_pj,write_pj,idle_pj,"
      "provenance,liberty_file\n";
  CHECK_THROWS_WITH(parse_sram_macro_table(head + "m,tile,TT,1.8,25,32,256,x,1,1,1,1,measured,f\n", "t.csv"),
                    Catch::Contains("t.csv line 2") && Catch::Contains("area_um2"));
  CHECK_THROWS_WITH(parse_sram_macro_table(head + "m,spare,TT,1.8,25,32,256,1,1,1,1,1,measured,f\n", "t.csv"),
                    Catch::Contains("role"));
  CHECK_THROWS_WITH(parse_sram_macro_table(head, "t.csv"), Catch::Contains("no data rows"));
  CHECK_THROWS_AS(parse_sram_macro_table("macro,role\nm,tile\n", "t.csv"), nvfp4::Error);
  // A table without reference corners at the tiles' voltage has no voltage law.
  CHECK_THROWS_WITH(parse_sram_macro_table(head + "m,tile,TT,1.8,25,32,256,1,1,1,1,1,extrapolated,f\n", "t.csv"),
                    Catch::Contains("provenance 'extrapolated'"));
  const auto rows = parse_sram_macro_table(head + "m,tile,TT,1.8,25,32,256,1,1,1,1,1,measured,f\n"
                                                  "r,voltage-reference,TT,1.7,25,32,256,1,1,1,1,1,measured,f\n"
                                                  "r,voltage-reference,TT,1.9,25,32,256,1,1,2,2,2,measured,f\n",
                                           "t.csv");
  CHECK_THROWS_WITH(MacroSramModel("t", rows, "test"), Catch::Contains("no reference corner at the tiles' voltage"));
}

TEST_CASE("sky130-openram preset: p(V) from the stated scaled fit", "[sram][sky130]") {
  const SramPreset& p = sram_preset("sky130-openram");
  const SramPreset& sun = sram_preset("sun2017-65nm");
  CHECK(p.nominal_vdd_v == 1.8);
  CHECK(p.vmin_mu_v == Approx(sun.vmin_mu_v * 1.8));
  CHECK(p.vmin_sigma_v == Approx(sun.vmin_sigma_v * 1.8));
  const auto f = make_failure_model(p);
  CHECK(f->bit_error_rate(0.9) > f->bit_error_rate(1.2));
  CHECK(p.failure_source.find("assumed") != std::string::npos);
}
