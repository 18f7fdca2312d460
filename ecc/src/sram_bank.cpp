// SRAM bank: reads through the sparse fault map (ecc/fault_map.hpp: nested persistent maps, transient flips), stats
// and energy.
#include "ecc/sram_bank.hpp"

#include <cmath>
#include <string>

#include "numerics/error.hpp"

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

std::vector<CellFault> SramBank::faulty_cells(uint64_t first_cell, uint64_t count, uint64_t read_index) const {
  const bool transient = spec_.fault == FaultKind::TransientFlip;
  if (transient && read_index >= 0xFFFFFFFFull) throw Error("SRAM bank: read index out of range");
  const uint32_t stream = transient ? static_cast<uint32_t>(read_index + 1) : 0u;
  return ecc::faulty_cells(spec_.seed, spec_.bank_id, stream, p_, first_cell, count);
}

uint64_t SramBank::read(BitImage& bits, uint64_t first_cell, uint64_t read_index) {
  uint64_t changed = 0;
  for (const CellFault& f : faulty_cells(first_cell, static_cast<uint64_t>(bits.bits), read_index)) {
    const int64_t i = static_cast<int64_t>(f.cell - first_cell);
    if (spec_.fault == FaultKind::PersistentStuckAt) {
      if (bits.get(i) == f.stuck_value) continue;
      bits.set(i, f.stuck_value);
    } else {
      bits.flip(i);
    }
    ++changed;
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
