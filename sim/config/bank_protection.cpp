#include "sim/config/bank_protection.hpp"

#include <bit>
#include <cmath>

#include "ecc/registry.hpp"

namespace nvfp4::sim {

const SramBankConfig& bank_config(const ArchSpec& a, BankId id) {
  switch (id) {
    case BankId::Activations: return a.activations;
    case BankId::Weights: return a.weights;
    case BankId::Scales: return a.scales;
    default: return a.outputs;
  }
}

double layout_fraction(const SramBankConfig& bank, BankId id, Scheme weight_format) {
  if (id == BankId::Outputs) return std::popcount(ecc::fp32_word_mask(bank.ecc_layout)) / 32.0;
  const Scheme stored = id == BankId::Weights ? weight_format : Scheme::NVFP4;
  const ecc::ProtectionLayout layout = ecc::ProtectionLayout::parse(bank.ecc_layout, stored);
  return id == BankId::Scales ? layout.scale_fraction(stored) : layout.code_fraction(stored);
}

BankElement bank_element(const ArchSpec& a, BankId id) {
  const SramBankConfig& bank = bank_config(a, id);
  if (id == BankId::Outputs) return {32, ecc::fp32_word_mask(bank.ecc_layout)};
  const Scheme stored = id == BankId::Weights ? a.array.weight_format : Scheme::NVFP4;
  const ecc::ProtectionLayout layout = ecc::ProtectionLayout::parse(bank.ecc_layout, stored);
  if (id == BankId::Scales) return {8 * scale_bytes(stored), layout.scale_mask};
  return {code_bits(stored), layout.code_mask};
}

double protected_fraction(const SramBankConfig& bank, BankId id, Scheme weight_format) {
  return ecc::protection_mode(bank.ecc_mode).code == ecc::ProtectedCode::Secded ? layout_fraction(bank, id, weight_format)
                                                                                : 0.0;
}

ecc::StorageFootprint bank_footprint(const ArchSpec& a, BankId id) {
  const SramBankConfig& bank = bank_config(a, id);
  const auto data_bits = static_cast<int64_t>(std::llround(bank.size_kib * 8192.0));
  const double f = layout_fraction(bank, id, a.array.weight_format);
  return ecc::footprint_of_bits(data_bits, static_cast<int64_t>(std::ceil(f * static_cast<double>(data_bits))),
                                bank.word_bits, ecc::protection_mode(bank.ecc_mode).code == ecc::ProtectedCode::Secded);
}

}  // namespace nvfp4::sim
