// Parts of the SRAM energy interface shared by every model: provenance names and the stated leakage law.
#include "ecc/sram_energy.hpp"

#include <cmath>

namespace nvfp4::ecc {

std::string_view to_string(EnergyProvenance p) {
  switch (p) {
    case EnergyProvenance::Literature: return "literature";
    case EnergyProvenance::Measured: return "measured";
    case EnergyProvenance::Scaled: return "scaled";
    default: return "extrapolated";
  }
}

double dibl_leakage_ratio(double vdd_v, double ref_vdd_v) {
  constexpr double kEta = 0.1, kSlope = 1.5, kThermalV = 0.02585;  // DIBL coefficient, slope factor n, kT/q at 300 K
  return (vdd_v / ref_vdd_v) * std::exp(kEta * (vdd_v - ref_vdd_v) / (kSlope * kThermalV));
}

}  // namespace nvfp4::ecc
