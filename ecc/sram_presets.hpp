// Named SRAM technology presets: a failure model p(V) and energy figures, each with its published source
// (docs/ecc.md lists them). Names are the canonical strings of the CLI (--sram) and the simulator config.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ecc/failure_model.hpp"
#include "ecc/sram_energy.hpp"

namespace nvfp4::ecc {

struct SramPreset {
  std::string name;
  std::string technology;       // e.g. "65 nm CMOS, 6T"
  std::string failure_source;   // citation of the p(V) calibration
  double nominal_vdd_v = 1.0;
  double vmin_mu_v = 0.0;       // Gaussian Vmin model parameters
  double vmin_sigma_v = 0.0;
  std::shared_ptr<const SramEnergyModel> energy;  // energy, leakage (and area, where the model has it)
};

const std::vector<SramPreset>& sram_presets();
const SramPreset& sram_preset(std::string_view name);   // throws nvfp4::Error listing the names
std::shared_ptr<const FailureModel> make_failure_model(const SramPreset& preset);
inline constexpr std::string_view kDefaultSramPreset = "sun2017-65nm";

}  // namespace nvfp4::ecc
