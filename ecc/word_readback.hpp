// Plain words (a table, not a quantized tensor) stored in one SRAM bank and read back through its fault process
// (docs/ecc.md, "Stored tables"): each word of `data_bits` (<= 64) is one SRAM word, SECDED-coded (data_bits + r + 1
// cells, ecc/secded.hpp) or stored plain (data_bits cells); cells are laid out word after word from cell 0 of the
// bank, whose fault map (ecc/sram_bank.hpp: seed, bank id, voltage, fault kind) decides which read wrong. Every word
// is read once and decoded. Used for the lanes' product tables kept in SRAM (lut/lut_storage.hpp).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "ecc/failure_model.hpp"
#include "ecc/fault_injector.hpp"
#include "ecc/sram_bank.hpp"

namespace nvfp4::ecc {

struct WordReadback {
  std::vector<uint64_t> words;   // as delivered: decoded (SECDED) or as read (plain); DUE words per the policy
  FieldCounts data;              // data bits: stored, raw errors, corrected, due, silent (as FieldCounts defines them)
  uint64_t corrected_words = 0, due_words = 0, miscorrected_words = 0;
  double bit_error_rate = 0.0;   // p(V) of the bank
};

// Throws nvfp4::Error for data_bits outside [1, 64] (SECDED: [4, 64]) or an invalid bank (voltage above nominal).
WordReadback read_back_words(const std::vector<uint64_t>& words, int data_bits, ProtectedCode code,
                             const SramBankSpec& bank, std::shared_ptr<const FailureModel> failure,
                             DuePolicy on_due = DuePolicy::Keep);

}  // namespace nvfp4::ecc
