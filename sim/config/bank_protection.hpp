// What each SRAM bank stores and which of its bits ecc/ protects (docs/sim.md, "SRAM banks and ECC"). The bank's
// `ecc_layout` is an ecc::ProtectionLayout name (named or custom:) applied to what the bank holds:
//   activations: NVFP4 element codes          weights: element codes of the weight format
//   scales:      NVFP4 block-scale codes      outputs: fp32 outputs and partial sums (ecc::fp32_word_mask)
// The simulator never re-derives masks or check bits: fractions and footprints come from ecc/.
#pragma once
#include "ecc/protection_layout.hpp"
#include "numerics/quant_spec.hpp"
#include "sim/config/banks.hpp"
#include "sim/config/sim_config.hpp"

namespace nvfp4::sim {

const SramBankConfig& bank_config(const ArchSpec& a, BankId id);

// Fraction of the bank's data bits that the layout protects (whatever the ECC mode). Throws nvfp4::Error (ecc/'s
// message) when ecc/ does not accept the layout for what the bank stores.
double layout_fraction(const SramBankConfig& bank, BankId id, Scheme weight_format);

// Fraction of the words through the bank's port that pass the SECDED encoder / decoder: the layout's fraction with
// ecc_mode secded, 0 with mixed-voltage (the protected bits sit uncoded in a nominal-voltage bank).
double protected_fraction(const SramBankConfig& bank, BankId id, Scheme weight_format);
inline double protected_fraction(const ArchSpec& a, BankId id) {
  return protected_fraction(bank_config(a, id), id, a.array.weight_format);
}

// What one element of the bank is (its width in bits: 4 E2M1 / weight-format codes, 8 block scales, 32 fp32 outputs)
// and which of its bits the layout protects (ecc::ProtectionLayout's code or scale mask, ecc::fp32_word_mask).
struct BankElement {
  int bits = 8;
  uint32_t mask = 0;
};
BankElement bank_element(const ArchSpec& a, BankId id);

// The whole bank's storage under its layout (data, protected and check bits), from ecc::footprint_of_bits.
ecc::StorageFootprint bank_footprint(const ArchSpec& a, BankId id);

}  // namespace nvfp4::sim
