#include "ecc/word_readback.hpp"

#include <bit>
#include <optional>
#include <string>

#include "ecc/secded.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

WordReadback read_back_words(const std::vector<uint64_t>& words, int data_bits, ProtectedCode code,
                             const SramBankSpec& bank, std::shared_ptr<const FailureModel> failure, DuePolicy on_due) {
  const bool coded = code == ProtectedCode::Secded;
  if (data_bits < (coded ? SecdedCode::kMinDataBits : 1) || data_bits > 64)
    throw Error("stored words: data_bits " + std::to_string(data_bits) + " outside [" +
                std::to_string(coded ? SecdedCode::kMinDataBits : 1) + ", 64]");
  std::optional<SecdedCode> secded;
  if (coded) secded.emplace(data_bits);
  const int cells = coded ? secded->codeword_bits() : data_bits;
  const uint64_t mask = data_bits == 64 ? ~uint64_t{0} : (uint64_t{1} << data_bits) - 1;

  SramBankSpec spec = bank;
  spec.word_bits = cells;
  spec.words = static_cast<int64_t>(words.size());
  const SramBank sram(spec, std::move(failure));
  WordReadback r;
  r.bit_error_rate = sram.bit_failure_probability();
  // Sparse: only words holding a failing cell are encoded, read and decoded; every other word reads back as written
  // (a clean codeword decodes clean), and costs only its count.
  const std::vector<CellFault> faults = sram.faulty_cells(0, static_cast<uint64_t>(words.size()) * cells, 0);
  size_t f = 0;
  r.words.reserve(words.size());
  r.data.bits_stored = static_cast<uint64_t>(data_bits) * words.size();
  for (size_t i = 0; i < words.size(); ++i) {
    const uint64_t stored = words[i] & mask;
    const uint64_t first = static_cast<uint64_t>(i) * static_cast<uint64_t>(cells), end = first + cells;
    if (f == faults.size() || faults[f].cell >= end) {
      r.words.push_back(stored);
      continue;
    }
    WideWord cw{{stored, 0, 0}};  // the cells as written: data, then check bits
    if (coded) cw.set_field(data_bits, cells - data_bits, secded->check_bits_of(cw));
    for (; f < faults.size() && faults[f].cell < end; ++f) {
      const int b = static_cast<int>(faults[f].cell - first);
      if (spec.fault == FaultKind::PersistentStuckAt) cw.set(b, faults[f].stuck_value);
      else cw.flip(b);
    }
    const uint64_t raw = cw.field(0, data_bits);
    r.data.raw_bit_errors += static_cast<uint64_t>(std::popcount(raw ^ stored));
    uint64_t out = raw;
    bool due = false;
    if (coded) {
      const DecodeResult d = secded->decode(cw);
      out = d.data.field(0, data_bits);
      if (d.status == DecodeStatus::Corrected) ++r.corrected_words;
      if (d.status == DecodeStatus::DetectedUncorrectable) {
        due = true;
        ++r.due_words;
        if (on_due == DuePolicy::Zero) out = 0;
      } else if (out != stored) {
        ++r.miscorrected_words;
      }
    }
    const uint64_t wrong = static_cast<uint64_t>(std::popcount(out ^ stored));
    r.data.corrected_bits += static_cast<uint64_t>(std::popcount((raw ^ stored) & ~(out ^ stored)));
    (due ? r.data.due_bits : r.data.silent_bit_errors) += wrong;
    r.words.push_back(out);
  }
  return r;
}

}  // namespace nvfp4::ecc
