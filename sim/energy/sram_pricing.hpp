// The SRAM banks as ecc/'s SRAM model prices them (docs/sim.md, "Energy and area"). A bank stores its layout's
// protected bits in protected words and the rest in unprotected words (ecc::footprint_of_bits); each region is a
// physically separate part:
//   protected part:   protected_words x (word_bits + check bits), at the bank's voltage (SECDED) or at the SRAM
//                     model's nominal voltage without check bits (ecc_mode mixed-voltage);
//   unprotected part: unprotected_words x word_bits, at the bank's voltage.
// A word through the bank's port is in the protected part with probability layout_fraction (the share of protected
// bits), so energy per word access = sum over parts of access_fraction x energy per access of the part.
#pragma once
#include <string>
#include <vector>

#include "ecc/sram_energy.hpp"
#include "sim/config/banks.hpp"
#include "sim/config/sim_config.hpp"

namespace nvfp4::sim {

struct SramPart {
  std::string bank;            // kBankNames entry
  std::string region;          // "protected" | "unprotected" | "whole"
  double voltage_v = 0;
  int word_bits = 0;           // physical bits per word (data + check bits)
  double words = 0;
  double access_fraction = 0;  // share of the bank's word accesses that land in this part
  ecc::SramBankCost cost;      // per access of this part's word, leakage and area of the part, provenance
};

std::vector<SramPart> sram_parts(const ecc::SramEnergyModel& model, const ArchSpec& a, BankId id);
// Energy of one word read / written through the bank's port [pJ] and the bank's leakage [uW].
double sram_read_pj(const std::vector<SramPart>& parts);
double sram_write_pj(const std::vector<SramPart>& parts);
double sram_leakage_uw(const std::vector<SramPart>& parts);
// "weights:extrapolated" per bank (worst label of its parts), space-separated, in bank order.
std::string sram_provenance_label(const ecc::SramEnergyModel& model, const ArchSpec& a);

}  // namespace nvfp4::sim
