// SRAM bank: per-cell Philox thresholds (nested persistent fault maps, transient flips), stats and energy.
#include "ecc/sram_bank.hpp"

#include <array>
#include <cmath>
#include <string>

#include "numerics/error.hpp"
#include "numerics/philox.hpp"

namespace nvfp4::ecc {

FaultKind parse_fault_kind(std::string_view s) {
  if (s == "flip") return FaultKind::PersistentFlip;
  if (s == "stuck-at") return FaultKind::PersistentStuckAt;
  if (s == "transient") return FaultKind::TransientFlip;
  throw Error("unknown fault model '" + std::string(s) + "'; accepted: flip, stuck-at, transient");
}

std::string_view to_string(FaultKind k) {
  switch (k) {
    case FaultKind::PersistentFlip: return "flip";
    case FaultKind::PersistentStuckAt: return "stuck-at";
    case FaultKind::TransientFlip: return "transient";
  }
  return "?";
}

namespace {

// Philox output of the cell pair `pair` (cells 2 pair and 2 pair + 1) in `stream`.
std::array<uint32_t, 4> pair_words(uint64_t seed, uint32_t bank_id, uint32_t stream, uint64_t pair) {
  return philox4x32_10({static_cast<uint32_t>(pair), static_cast<uint32_t>(pair >> 32), stream, bank_id},
                       {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
}

uint64_t word_of_cell(const std::array<uint32_t, 4>& w, uint64_t cell) {
  return (cell & 1) ? (uint64_t{w[3]} << 32) | w[2] : (uint64_t{w[1]} << 32) | w[0];
}

// The 64-bit random word x of cell `cell` in `stream` (see the header for the exact contract).
uint64_t cell_word(uint64_t seed, uint32_t bank_id, uint32_t stream, uint64_t cell) {
  return word_of_cell(pair_words(seed, bank_id, stream, cell >> 1), cell);
}

// u < p  <=>  (x >> 11) < ceil(p * 2^53) for the 53-bit integer x >> 11 (p * 2^53 is exact in double).
uint64_t threshold_53(double p) {
  if (p <= 0.0) return 0;
  if (p >= 1.0) return uint64_t{1} << 53;
  return static_cast<uint64_t>(std::ceil(std::ldexp(p, 53)));
}

}  // namespace

SramBank::SramBank(SramBankSpec spec, std::shared_ptr<const FailureModel> failure,
                   std::shared_ptr<const SramEnergyModel> energy)
    : spec_(std::move(spec)), failure_(std::move(failure)), energy_(std::move(energy)) {
  if (!failure_) throw Error("SRAM bank '" + spec_.name + "': no failure model");
  if (spec_.word_bits < 1) throw Error("SRAM bank '" + spec_.name + "': word_bits must be >= 1");
  if (spec_.words < 0) throw Error("SRAM bank '" + spec_.name + "': words must be >= 0");
  p_ = failure_->bit_error_rate(spec_.vdd_v);  // checks 0 < vdd <= nominal
  if (energy_) check_vdd(spec_.vdd_v, energy_->nominal_vdd_v(), "vdd of bank '" + spec_.name + "'");
}

double SramBank::capacity_kib() const {
  return static_cast<double>(spec_.words) * spec_.word_bits / 8.0 / 1024.0;
}

double SramBank::cell_threshold(uint64_t cell) const {
  return std::ldexp(static_cast<double>(cell_word(spec_.seed, spec_.bank_id, 0, cell) >> 11), -53);
}

bool SramBank::cell_stuck_value(uint64_t cell) const {
  return (cell_word(spec_.seed, spec_.bank_id, 0, cell) & 1u) != 0;
}

uint64_t SramBank::read(BitImage& bits, uint64_t first_cell, uint64_t read_index) {
  const uint64_t thr = threshold_53(p_);
  uint64_t changed = 0;
  if (thr != 0) {
    const bool transient = spec_.fault == FaultKind::TransientFlip;
    if (transient && read_index >= 0xFFFFFFFFull) throw Error("SRAM bank: read index out of range");
    const uint32_t stream = transient ? static_cast<uint32_t>(read_index + 1) : 0u;
    uint64_t cached_pair = ~uint64_t{0};
    std::array<uint32_t, 4> w{};
    for (int64_t i = 0; i < bits.bits; ++i) {
      const uint64_t cell = first_cell + static_cast<uint64_t>(i);
      if ((cell >> 1) != cached_pair) {
        cached_pair = cell >> 1;
        w = pair_words(spec_.seed, spec_.bank_id, stream, cached_pair);
      }
      const uint64_t x = word_of_cell(w, cell);
      if ((x >> 11) >= thr) continue;
      if (spec_.fault == FaultKind::PersistentStuckAt) {
        const bool stuck = (x & 1u) != 0;
        if (bits.get(i) != stuck) {
          bits.set(i, stuck);
          ++changed;
        }
      } else {
        bits.flip(i);
        ++changed;
      }
    }
  }
  stats_.reads += static_cast<uint64_t>((bits.bits + spec_.word_bits - 1) / spec_.word_bits);
  stats_.bits_read += static_cast<uint64_t>(bits.bits);
  stats_.bit_errors += changed;
  return changed;
}

double SramBank::dynamic_energy_pj() const {
  if (!energy_ || spec_.words == 0) return 0.0;
  const double cap = capacity_kib();
  return static_cast<double>(stats_.reads) * energy_->read_energy_pj(spec_.vdd_v, spec_.word_bits, cap) +
         static_cast<double>(stats_.writes) * energy_->write_energy_pj(spec_.vdd_v, spec_.word_bits, cap);
}

double SramBank::leakage_power_uw() const {
  if (!energy_) return 0.0;
  return energy_->leakage_power_uw(spec_.vdd_v, spec_.word_bits, capacity_kib());
}

}  // namespace nvfp4::ecc
