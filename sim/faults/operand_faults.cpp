#include "sim/faults/operand_faults.hpp"

#include <cstdio>

#include "ecc/fault_injector.hpp"
#include "ecc/registry.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/error.hpp"

namespace nvfp4::sim {

FaultCounts& FaultCounts::operator+=(const FaultCounts& o) {
  bits_stored += o.bits_stored;
  raw_bit_errors += o.raw_bit_errors;
  corrected_bits += o.corrected_bits;
  due_bits += o.due_bits;
  silent_bit_errors += o.silent_bit_errors;
  return *this;
}

uint64_t fault_seed(uint64_t run_seed, int64_t layer, int operand) {
  return run_seed * 1000003ull + static_cast<uint64_t>(layer) * 4 + static_cast<uint64_t>(operand);
}

ecc::InjectionConfig bank_injection(const SramBankConfig& bank, const FaultSetup& setup, uint64_t operand_seed,
                                    ecc::Field field, Scheme scheme) {
  ecc::InjectionConfig c;
  c.word_bits = bank.word_bits;
  const ecc::ProtectionMode& mode = ecc::protection_mode(bank.ecc_mode);
  c.protected_code = mode.code;
  c.vdd_v = bank.voltage_v;
  c.protected_vdd_v = mode.protected_at_nominal ? setup.nominal_v : -1.0;
  c.failure = setup.failure;
  // The bank's layout masks only the field it holds (what ecc/ says the layout protects of an element / scale code).
  const ecc::ProtectionLayout layout = ecc::ProtectionLayout::parse(bank.ecc_layout, scheme);
  const bool codes = field == ecc::Field::Codes;
  c.layout.name = (codes ? "codes:" : "scales:") + bank.ecc_layout;
  if (codes) c.layout.code_mask = layout.code_mask;
  else c.layout.scale_mask = layout.scale_mask;
  c.seed = codes ? operand_seed : operand_seed ^ 0x5CA1E5ull;
  return c;
}

namespace {

void add(FaultCounts& c, const ecc::FieldCounts& f) {
  c.bits_stored += f.bits_stored;
  c.raw_bit_errors += f.raw_bit_errors;
  c.corrected_bits += f.corrected_bits;
  c.due_bits += f.due_bits;
  c.silent_bit_errors += f.silent_bit_errors;
}

}  // namespace

QuantizedTensor inject_operand_faults(QuantizedTensor q, const SramBankConfig& code_bank,
                                      const SramBankConfig& scale_bank, const FaultSetup& setup, uint64_t seed,
                                      FaultCounts& counts) {
  // Both banks' read-backs go into q itself, each writing only its own field: the faults the code bank's cells put
  // into scale bits are not written (the scales are not this bank's). The scales bank's protected words hold scale
  // bits only and its plain cells act bit by bit, so the scales read back do not depend on the codes the first pass
  // changed: the same bits as injecting into a clean copy. The per-tensor fp32 scale is a register (no faults).
  const ecc::InjectionConfig codes = bank_injection(code_bank, setup, seed, ecc::Field::Codes, q.spec.scheme);
  add(counts, ecc::inject_faults_in_place(q, codes, ecc::Field::Codes)[ecc::Field::Codes]);
  if (!q.scales.empty()) {
    const ecc::InjectionConfig scales =
        bank_injection(scale_bank, setup, seed, ecc::Field::BlockScales, q.spec.scheme);
    add(counts, ecc::inject_faults_in_place(q, scales, ecc::Field::BlockScales)[ecc::Field::BlockScales]);
  }
  return q;
}

FaultSetup make_fault_setup(const SimConfig& config) {
  const ecc::SramPreset* preset = nullptr;
  try {
    preset = &ecc::sram_preset(config.arch.sram_technology);
  } catch (const Error& e) {
    throw Error(config.source_file + ": key 'architecture.sram_technology': " + e.what());
  }
  return FaultSetup{ecc::make_failure_model(*preset), preset->nominal_vdd_v};
}

namespace {
const SramBankConfig& code_bank_of(const SimConfig& config, int operand) {
  return operand == 0 ? config.arch.activations : config.arch.weights;
}

std::string bank_key(const SramBankConfig& b) {
  char v[32];
  std::snprintf(v, sizeof v, "%.17g", b.voltage_v);  // exact: the double's bits round-trip
  return std::string(v) + "V/" + std::to_string(b.word_bits) + "b/" + b.ecc_layout + "/" + b.ecc_mode;
}
}  // namespace

QuantizedTensor read_back_operand(QuantizedTensor stored, const SimConfig& config, const FaultSetup& setup,
                                  int64_t layer, int operand, FaultCounts& counts) {
  if (!config.run.faults) return stored;
  return inject_operand_faults(std::move(stored), code_bank_of(config, operand), config.arch.scales, setup,
                               fault_seed(config.run.fault_seed, layer, operand), counts);
}

std::string read_back_key(const SimConfig& config, int64_t layer, int operand) {
  if (!config.run.faults) return "no faults";
  // The inputs of read_back_operand above: run.faults, the code bank, the scales bank, the preset that
  // make_fault_setup turns into p(V) and the nominal voltage, and the seed.
  return "codes " + bank_key(code_bank_of(config, operand)) + "; scales " + bank_key(config.arch.scales) +
         "; sram_technology " + config.arch.sram_technology + "; seed " +
         std::to_string(fault_seed(config.run.fault_seed, layer, operand));
}

}  // namespace nvfp4::sim
