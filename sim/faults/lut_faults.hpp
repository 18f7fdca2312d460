// SRAM faults in the lanes' product tables (docs/sim.md, "LUT storage"): with `lut_storage: sram` and run.faults, the
// table is stored in its own bank (lut_voltage_v, lut_ecc) and read back once through ecc/'s persistent fault map
// (ecc/word_readback.hpp), the same cells for the whole run. The faulty image then feeds the engines' lanes
// (lut::EngineConfig::table), so a faulty entry changes every product that reads it. One image serves every lane:
// the per-product probability of reading a faulty entry is that of per-lane copies, the correlation between lanes is
// not (stated in docs/sim.md).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/config/sim_config.hpp"
#include "sim/faults/operand_faults.hpp"

namespace nvfp4::sim {

struct LutReadback {
  bool injected = false;          // the table went through a fault process (sram storage, run.faults)
  std::shared_ptr<const std::vector<int64_t>> table;  // entries as delivered; null when equal to the committed table
  FaultCounts counts;             // data bits of the table (one copy)
  int64_t entries = 0, faulty_entries = 0;  // entries delivered wrong
  double bit_error_rate = 0;      // p(lut_voltage_v)
};

// The fault map's bank id of the product tables (the operand banks use their own injector streams).
inline constexpr uint32_t kLutBankId = 900;

LutReadback read_back_lut(const SimConfig& config, const FaultSetup& setup);

}  // namespace nvfp4::sim
