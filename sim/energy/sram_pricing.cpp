#include "sim/energy/sram_pricing.hpp"

#include <algorithm>

#include "ecc/registry.hpp"
#include "sim/config/bank_protection.hpp"

namespace nvfp4::sim {

std::vector<SramPart> sram_parts(const ecc::SramEnergyModel& model, const ArchSpec& a, BankId id) {
  const SramBankConfig& bank = bank_config(a, id);
  const ecc::StorageFootprint f = bank_footprint(a, id);
  const bool at_nominal = ecc::protection_mode(bank.ecc_mode).protected_at_nominal;  // ecc/'s mode registry
  const double share = f.data_bits ? static_cast<double>(f.protected_bits) / static_cast<double>(f.data_bits) : 0.0;
  const std::string name(kBankNames[static_cast<int>(id)]);
  auto part = [&](const char* region, double v, int bits, int64_t words, double access) {
    SramPart p{name, region, v, bits, static_cast<double>(words), access, {}};
    p.cost = model.bank_cost(v, bits, static_cast<double>(words) * bits / 8192.0);
    return p;
  };
  std::vector<SramPart> parts;
  if (f.protected_words == 0 || f.unprotected_words == 0) {
    const bool mixed_all = f.protected_words && at_nominal;
    parts.push_back(part("whole", mixed_all ? model.nominal_vdd_v() : bank.voltage_v,
                         f.word_bits + (f.protected_words ? f.check_bits_per_word : 0),
                         f.protected_words + f.unprotected_words, 1.0));
    return parts;
  }
  const double v_protected = at_nominal ? model.nominal_vdd_v() : bank.voltage_v;
  parts.push_back(part("protected", v_protected, f.word_bits + f.check_bits_per_word, f.protected_words, share));
  parts.push_back(part("unprotected", bank.voltage_v, f.word_bits, f.unprotected_words, 1.0 - share));
  return parts;
}

double sram_read_pj(const std::vector<SramPart>& parts) {
  double e = 0;
  for (const SramPart& p : parts) e += p.access_fraction * p.cost.read_pj;
  return e;
}

double sram_write_pj(const std::vector<SramPart>& parts) {
  double e = 0;
  for (const SramPart& p : parts) e += p.access_fraction * p.cost.write_pj;
  return e;
}

double sram_leakage_uw(const std::vector<SramPart>& parts) {
  double w = 0;
  for (const SramPart& p : parts) w += p.cost.leakage_uw;
  return w;
}

std::string sram_provenance_label(const ecc::SramEnergyModel& model, const ArchSpec& a) {
  std::string s;
  for (int i = 0; i < kBankCount; ++i) {
    ecc::EnergyProvenance worst = ecc::EnergyProvenance::Literature;
    bool first = true;
    for (const SramPart& p : sram_parts(model, a, static_cast<BankId>(i))) {
      if (first || p.cost.provenance > worst) worst = p.cost.provenance;  // enum order: literature < ... < extrapolated
      first = false;
    }
    s += (s.empty() ? "" : " ") + std::string(kBankNames[i]) + ":" + std::string(ecc::to_string(worst));
  }
  return s;
}

}  // namespace nvfp4::sim
