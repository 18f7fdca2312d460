#include "sim/faults/lut_faults.hpp"

#include "ecc/word_readback.hpp"
#include "lut/lut_storage.hpp"
#include "lut/tables.hpp"

namespace nvfp4::sim {

LutReadback read_back_lut(const SimConfig& c, const FaultSetup& setup) {
  LutReadback r;
  const ArraySpec& x = c.arch.array;
  if (!c.run.faults || !lut::parse_lut_storage(x.lut_storage).voltage_faults) return r;
  const lut::LaneTable t = lut::lane_table(lut::parse_multiplier_style(x.multiplier), lut::weight_format_of(x.weight_format));
  std::vector<uint64_t> words;
  words.reserve(t.spec.entries.size());
  for (int64_t e : t.spec.entries) words.push_back(lut::memh_word(t.spec, e));
  ecc::SramBankSpec bank;
  bank.name = "lut";
  bank.bank_id = kLutBankId;
  bank.vdd_v = x.lut_voltage_v;
  bank.seed = fault_seed(c.run.fault_seed, -1, 0);  // the run's seed; layer -1: no layer's operand stream
  const ecc::WordReadback rb =
      ecc::read_back_words(words, t.spec.entry_bits, ecc::parse_protected_code(x.lut_ecc), bank, setup.failure);
  r.injected = true;
  r.bit_error_rate = rb.bit_error_rate;
  r.entries = t.words();
  r.counts.bits_stored = rb.data.bits_stored;
  r.counts.raw_bit_errors = rb.data.raw_bit_errors;
  r.counts.corrected_bits = rb.data.corrected_bits;
  r.counts.due_bits = rb.data.due_bits;
  r.counts.silent_bit_errors = rb.data.silent_bit_errors;
  auto entries = std::make_shared<std::vector<int64_t>>();
  entries->reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    entries->push_back(lut::entry_of_memh_word(t.spec, rb.words[i]));
    if (rb.words[i] != words[i]) ++r.faulty_entries;
  }
  if (r.faulty_entries) r.table = std::move(entries);
  return r;
}

}  // namespace nvfp4::sim
