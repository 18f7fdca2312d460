// Counts of every energy-relevant action of one layer (or a whole run); energy = counts x energy per action.
#pragma once
#include <array>
#include <cstdint>

#include "sim/config/banks.hpp"

namespace nvfp4::sim {

struct BankCounts {
  uint64_t read_words = 0, write_words = 0;     // SRAM accesses of word_bits each
  uint64_t ecc_encodes = 0, ecc_decodes = 0;    // SECDED codewords written / read (protected bits only)
  BankCounts& operator+=(const BankCounts& o) {
    read_words += o.read_words; write_words += o.write_words;
    ecc_encodes += o.ecc_encodes; ecc_decodes += o.ecc_decodes;
    return *this;
  }
};

struct ActionCounts {
  uint64_t lane_multiplies = 0;       // element products (padding lanes of partial blocks excluded)
  // Of those, the products whose operand codes were inspected, and how many of them had a zero operand (a zero code
  // magnitude): the characterized lane energy depends on it (docs/energy.md, "Operand statistics").
  uint64_t lane_multiplies_observed = 0, lane_multiplies_zero_operand = 0;
  uint64_t adder_tree_adds = 0;       // two-input adds in the engines' trees and partial-block registers
  uint64_t scale_unit_ops = 0;        // block-scale products, one per (output, block)
  uint64_t accumulator_updates = 0;   // one per (output, block)
  std::array<BankCounts, kBankCount> banks{};
  uint64_t lut_words_written = 0;     // product-table words written into latch / SRAM LUT storage (loads)
  uint64_t offchip_bits = 0;          // bits moved over the off-chip port (both directions)
  uint64_t cycles = 0;                // for leakage x time
  ActionCounts& operator+=(const ActionCounts& o);
};

}  // namespace nvfp4::sim
