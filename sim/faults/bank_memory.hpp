// The storage of one SRAM bank as the virtual platform sees it (docs/sim.md, "TLM-2.0 interface"): an
// ecc::ProtectedMemory with the bank's size, element format and layout (sim/config/bank_protection.hpp), word width,
// ECC mode, voltage and the run's persistent fault map. Host reads through the socket and the accelerator's job read
// through it: both see the same cells fail, the same words corrected.
#pragma once
#include "ecc/protected_memory.hpp"
#include "sim/config/banks.hpp"
#include "sim/config/sim_config.hpp"
#include "sim/faults/operand_faults.hpp"

namespace nvfp4::sim {

// Fault map seed: run.fault_seed; map ids kBankMemoryId0 + 2 b (data part) and + 1 (protected part) for bank b.
inline constexpr uint32_t kBankMemoryId0 = 16;

// Without run.faults the memory is fault-free. Throws nvfp4::Error (ecc/'s message) on an impossible bank.
ecc::ProtectedMemory make_bank_memory(const SimConfig& config, BankId id, const FaultSetup& setup);

}  // namespace nvfp4::sim
