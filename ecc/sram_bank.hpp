// One SRAM bank: supply voltage, word width, size, its fault process and its energy (docs/ecc.md, "Faults").
//
// Cell c of bank `bank_id` has a uniform threshold u_c in [0, 1) and a stuck value; the faulty cells (u_c < p(V))
// are drawn sparsely by ecc/fault_map.hpp (only the failing cells are generated), keyed by (seed, bank_id, stream).
// Persistent faults use stream 0: cell c is faulty at V iff u_c < p(V). Because p(V) falls as V rises, a cell faulty
// at V is faulty at every lower V (nested fault maps). Transient faults use stream 1 + read_index: every read draws
// fresh thresholds, so each read flips each cell independently with probability p(V).
//   PersistentFlip:    a faulty cell reads the complement of the stored bit.
//   PersistentStuckAt: a faulty cell reads its stuck value (an error only when the stored bit differs: BER = p / 2).
//   TransientFlip:     flips on one read only.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ecc/bit_image.hpp"
#include "ecc/failure_model.hpp"
#include "ecc/fault_map.hpp"
#include "ecc/sram_energy.hpp"

namespace nvfp4::ecc {

enum class FaultKind : uint8_t { PersistentFlip, PersistentStuckAt, TransientFlip };
FaultKind parse_fault_kind(std::string_view);  // "flip", "stuck-at", "transient"; throws nvfp4::Error otherwise
std::string_view to_string(FaultKind);

struct SramBankSpec {
  std::string name = "bank";
  uint32_t bank_id = 0;          // separates the fault maps of banks sharing a seed
  double vdd_v = 1.0;
  int word_bits = 64;            // physical word width (data + check bits) in bit cells
  int64_t words = 0;
  FaultKind fault = FaultKind::PersistentFlip;
  uint64_t seed = 0;
};

struct SramBankStats {
  uint64_t reads = 0;
  uint64_t writes = 0;
  uint64_t bits_read = 0;
  uint64_t bit_errors = 0;       // read bits that differed from the stored bits
};

class SramBank {
 public:
  // Throws nvfp4::Error for vdd outside (0, nominal], word_bits < 1 or words < 0.
  SramBank(SramBankSpec spec, std::shared_ptr<const FailureModel> failure,
           std::shared_ptr<const SramEnergyModel> energy = nullptr);

  const SramBankSpec& spec() const { return spec_; }
  double bit_failure_probability() const { return p_; }  // p(vdd)
  double capacity_kib() const;

  // The faulty cells of [first_cell, first_cell + count) at this bank's voltage, in address order, for read number
  // `read_index` (persistent faults: the same cells for every read).
  std::vector<CellFault> faulty_cells(uint64_t first_cell, uint64_t count, uint64_t read_index = 0) const;

  // Reads `bits` stored in cells [first_cell, first_cell + bits.bits) through the fault process (read number
  // `read_index` for transient faults), in place. Returns the number of bits that changed; updates the stats.
  uint64_t read(BitImage& bits, uint64_t first_cell, uint64_t read_index = 0);
  void count_write(uint64_t words) { stats_.writes += words; }

  const SramBankStats& stats() const { return stats_; }
  // Energy of the counted accesses [pJ] and leakage power [uW] (0 without an energy model).
  double dynamic_energy_pj() const;
  double leakage_power_uw() const;

 private:
  SramBankSpec spec_;
  std::shared_ptr<const FailureModel> failure_;
  std::shared_ptr<const SramEnergyModel> energy_;
  double p_ = 0.0;
  SramBankStats stats_;
};

}  // namespace nvfp4::ecc
