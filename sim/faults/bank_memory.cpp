#include "sim/faults/bank_memory.hpp"

#include <cmath>

#include "ecc/registry.hpp"
#include "sim/config/bank_protection.hpp"

namespace nvfp4::sim {

ecc::ProtectedMemory make_bank_memory(const SimConfig& config, BankId id, const FaultSetup& setup) {
  const SramBankConfig& bank = bank_config(config.arch, id);
  const BankElement element = bank_element(config.arch, id);
  const ecc::ProtectionMode& mode = ecc::protection_mode(bank.ecc_mode);
  ecc::ProtectedMemorySpec s;
  s.bytes = std::llround(bank.size_kib * 1024.0);
  s.element_bits = element.bits;
  s.element_mask = element.mask;
  s.word_bits = bank.word_bits;
  s.code = mode.code;
  s.vdd_v = bank.voltage_v;
  s.protected_vdd_v = mode.protected_at_nominal ? setup.nominal_v : -1.0;
  s.seed = config.run.fault_seed;
  s.bank_id = kBankMemoryId0 + 2 * static_cast<uint32_t>(id);
  return ecc::ProtectedMemory(s, config.run.faults ? setup.failure : nullptr);
}

}  // namespace nvfp4::sim
