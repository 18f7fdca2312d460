// SRAM technology presets, each figure with its source (docs/ecc.md, "Presets" gives the derivations).
#include "ecc/sram_presets.hpp"

#include <string>

#include "ecc/sram_macro_model.hpp"
#include "ecc/sram_scaled_energy.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

namespace {

// Leakage power relative to nominal (V_nom = 1 V) from the subthreshold + DIBL law of dibl_leakage_ratio, tabulated
// at 0.3 .. 1.0 V. This is a model, not a measurement; its 95% saving at 0.3 V matches the ">90% leakage power
// savings" at sub-300 mV standby supply that Qin et al., "SRAM leakage suppression by minimizing standby supply
// voltage", ISQED 2004, measured on a 0.13 um 4 KB SRAM.
std::vector<SramEnergyParams::LeakPoint> dibl_leakage_table() {
  std::vector<SramEnergyParams::LeakPoint> t;
  for (int tenth = 3; tenth <= 10; ++tenth) t.push_back({tenth / 10.0, dibl_leakage_ratio(tenth / 10.0, 1.0)});
  t.back().leak_over_nominal = 1.0;
  return t;
}

// Dynamic energy: M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014, 45 nm, 0.9 V:
// a 64-bit SRAM read costs 10 pJ (8 KB), 20 pJ (32 KB), 100 pJ (1 MB). Per bit at 8 KiB: 10/64 = 0.15625 pJ; the
// least-squares size exponent over the three sizes is 0.47. Writes are taken equal to reads (Horowitz gives reads
// only). The figures are applied at each preset's nominal voltage (only V / V_nom enters the scaling).
SramEnergyParams horowitz45_energy(double nominal_vdd_v) {
  SramEnergyParams e;
  e.name = "horowitz2014-45nm";
  e.source =
      "M. Horowitz, Computing's energy problem, ISSCC 2014 (45 nm SRAM reads); leakage shape: subthreshold+DIBL "
      "model consistent with Qin et al., ISQED 2004; leakage magnitude: illustrative placeholder";
  e.nominal_vdd_v = nominal_vdd_v;
  e.read_pj_per_bit = 10.0 / 64.0;
  e.write_pj_per_bit = 10.0 / 64.0;
  e.ref_capacity_kib = 8.0;
  e.size_exponent = 0.47;
  // Not from a measurement: 1 uW per KiB at nominal voltage (order of magnitude of low-power 65-45 nm SRAM);
  // set your own figure for a real technology.
  e.leak_uw_per_kib = 1.0;
  e.leakage_table = dibl_leakage_table();
  return e;
}

std::vector<SramPreset> build_presets() {
  std::vector<SramPreset> out;
  {
    // X. Sun, R. Liu, Y.-J. Chen, H.-Y. Chiu, W.-H. Chen, M.-F. Chang, S. Yu, "Low-VDD operation of SRAM synaptic
    // array for implementing ternary neural network", IEEE TVLSI 25(10):2962-2965, 2017: 65 nm SRAM chips, nominal
    // 1.0 V, bit error rate ~0.23% at 0.55 V and ~1.56% at 0.50 V. Fitted: mu = 0.341 V, sigma = 0.074 V.
    SramPreset p;
    p.name = "sun2017-65nm";
    p.technology = "65 nm CMOS SRAM, nominal 1.0 V";
    p.failure_source =
        "X. Sun et al., Low-VDD operation of SRAM synaptic array for implementing ternary neural network, IEEE TVLSI "
        "25(10):2962-2965, 2017 (0.23% at 0.55 V, 1.56% at 0.50 V)";
    p.nominal_vdd_v = 1.0;
    const GaussianVminModel fit = GaussianVminModel::fit(0.55, 0.0023, 0.50, 0.0156, p.nominal_vdd_v);
    p.vmin_mu_v = fit.mu_v();
    p.vmin_sigma_v = fit.sigma_v();
    p.energy = std::make_shared<ScaledSramEnergy>(horowitz45_energy(p.nominal_vdd_v));
    out.push_back(std::move(p));
  }
  {
    // The sky130 OpenRAM macros' Liberty views (ecc/tech/sky130-openram.csv): banks tiled from macros, energy, leakage
    // and area as characterized at TT 25 C 1.8 V, voltage law fitted on the 1.7 / 1.8 / 1.9 V corners
    // (ecc/sram_macro_model.hpp). Failures: no published sky130 6T Vmin distribution is at hand, so the Sun 2017
    // 65 nm Gaussian fit is used relative to the nominal voltage (mu / V_nom = 0.341, sigma / V_nom = 0.074), an
    // assumption stated in docs/ecc.md: Vmin tracks the threshold voltage, which scales with the node's supply.
    SramPreset p;
    p.name = "sky130-openram";
    p.technology = "SkyWater sky130 (130 nm), OpenRAM 6T SRAM macros, nominal 1.8 V";
    const GaussianVminModel fit65 = GaussianVminModel::fit(0.55, 0.0023, 0.50, 0.0156, 1.0);
    p.failure_source = "assumed: X. Sun et al., IEEE TVLSI 25(10), 2017 (65 nm) Gaussian Vmin fit, scaled by V / V_nom "
                       "to the 1.8 V nominal (no sky130 bit-cell Vmin data)";
    p.nominal_vdd_v = 1.8;
    p.vmin_mu_v = fit65.mu_v() * p.nominal_vdd_v;
    p.vmin_sigma_v = fit65.sigma_v() * p.nominal_vdd_v;
    p.energy = std::make_shared<MacroSramModel>(
        p.name, parse_sram_macro_table(sky130_openram_table_csv(), "ecc/tech/sky130-openram.csv"),
        "OpenRAM sky130 SRAM Liberty views (VLSIDA/sky130_sram_macros) via ecc/tech/sky130-openram.csv");
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

const std::vector<SramPreset>& sram_presets() {
  static const std::vector<SramPreset> presets = build_presets();
  return presets;
}

const SramPreset& sram_preset(std::string_view name) {
  std::string names;
  for (const SramPreset& p : sram_presets()) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  throw Error("unknown SRAM preset '" + std::string(name) + "'; known presets: " + names);
}

std::shared_ptr<const FailureModel> make_failure_model(const SramPreset& preset) {
  return std::make_shared<GaussianVminModel>(preset.vmin_mu_v, preset.vmin_sigma_v, preset.nominal_vdd_v);
}

}  // namespace nvfp4::ecc
