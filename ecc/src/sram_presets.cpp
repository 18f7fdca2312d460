// SRAM technology presets, each figure with its source (docs/ecc.md, "Presets" gives the derivations).
#include "ecc/sram_presets.hpp"

#include <string>

#include "numerics/error.hpp"

namespace nvfp4::ecc {

namespace {

// Leakage power relative to nominal, P(V)/P(V_nom) = (V/V_nom) * exp(eta (V - V_nom) / (n v_T)): subthreshold
// leakage with DIBL coefficient eta = 0.1, slope factor n = 1.5, v_T = 25.85 mV, V_nom = 1 V. This is a model, not a
// measurement; its 95% saving at 0.3 V matches the ">90% leakage power savings" at sub-300 mV standby supply that
// Qin et al., "SRAM leakage suppression by minimizing standby supply voltage", ISQED 2004, measured on a 0.13 um 4 KB
// SRAM.
std::vector<SramEnergyParams::LeakPoint> dibl_leakage_table() {
  return {{0.3, 0.0493}, {0.4, 0.0851}, {0.5, 0.1377}, {0.6, 0.2139}, {0.7, 0.3229},
          {0.8, 0.4776}, {0.9, 0.6954}, {1.0, 1.0}};
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
    p.energy = horowitz45_energy(p.nominal_vdd_v);
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
