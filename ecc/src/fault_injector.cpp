// Fault injection: layout -> banks -> (SECDED) -> back into a tensor, with per-field counts. Sparse: only the failing
// cells (ecc/fault_map.hpp) and the codewords holding one are touched; the rest of the tensor is copied as stored.
#include "ecc/fault_injector.hpp"
#include "ecc/registry.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>

#include "ecc/secded.hpp"
#include "ecc/src/stored_bits.hpp"
#include "ecc/src/stream_index.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

ProtectedCode parse_protected_code(std::string_view s) {
  std::string names;
  for (const CodeInfo& c : protected_codes()) {
    if (c.name == s) return c.code;
    names += (names.empty() ? "" : ", ") + std::string(c.name);
  }
  throw Error("unknown protected-bank code '" + std::string(s) + "'; accepted: " + names);
}

std::string_view to_string(ProtectedCode code) {
  for (const CodeInfo& c : protected_codes())
    if (c.code == code) return c.name;
  return "?";
}

DuePolicy parse_due_policy(std::string_view s) {
  if (s == "keep") return DuePolicy::Keep;
  if (s == "zero") return DuePolicy::Zero;
  throw Error("unknown detected-uncorrectable policy '" + std::string(s) + "'; accepted: keep, zero");
}

std::string_view to_string(DuePolicy p) { return p == DuePolicy::Keep ? "keep" : "zero"; }

FieldCounts InjectionReport::total_data() const {
  FieldCounts t;
  for (Field f : {Field::Codes, Field::BlockScales, Field::TensorScale}) {
    const FieldCounts& c = (*this)[f];
    t.bits_stored += c.bits_stored;
    t.raw_bit_errors += c.raw_bit_errors;
    t.corrected_bits += c.corrected_bits;
    t.due_bits += c.due_bits;
    t.silent_bit_errors += c.silent_bit_errors;
  }
  return t;
}

namespace {

constexpr uint32_t kDataBankId = 0;
constexpr uint32_t kProtectedBankId = 1;

double protected_vdd(const InjectionConfig& c) { return c.protected_vdd_v < 0.0 ? c.vdd_v : c.protected_vdd_v; }

void validate(const InjectionConfig& c) {
  if (!c.failure) throw Error("fault injection: no failure model (SRAM preset or table) given");
  (void)SecdedCode::check_bits_for(c.word_bits);  // word width 4..128, with the codec's message
  c.failure->bit_error_rate(c.vdd_v);
  check_vdd(protected_vdd(c), c.failure->nominal_vdd_v(), "protected-bank vdd");
}

uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// Bytes of the tensor that a stream location names (codes, block scales, or a copy of the tensor scale's bytes).
struct TensorBytes {
  QuantizedTensor& q;
  uint8_t* ts;
  std::optional<Field> only;  // set: bits of other fields are read but never written back
  uint8_t& at(const detail::StreamLoc& l) const {
    switch (l.field) {
      case Field::Codes: return q.codes[static_cast<size_t>(l.byte)];
      case Field::BlockScales: return q.scales[static_cast<size_t>(l.byte)];
      default: return ts[l.byte];
    }
  }
  bool get(const detail::StreamLoc& l) const { return (at(l) >> l.bit) & 1u; }
  void set(const detail::StreamLoc& l, bool v) const {
    if (only && l.field != *only) return;
    const uint8_t m = static_cast<uint8_t>(1u << l.bit);
    uint8_t& byte = at(l);
    byte = v ? static_cast<uint8_t>(byte | m) : static_cast<uint8_t>(byte & ~m);
  }
};

// The bit a cell delivers for a stored bit under the fault kind (flip: complement; stuck-at: the stuck value).
bool read_bit(bool stored, const CellFault& f, FaultKind kind) {
  return kind == FaultKind::PersistentStuckAt ? f.stuck_value : !stored;
}

// A region stored without check bits: every failing cell that changes its bit is a raw and a silent error.
void inject_plain(const detail::StreamIndex& idx, const SramBank& bank, const InjectionConfig& c,
                  const TensorBytes& out, InjectionReport& rep) {
  for (const CellFault& f : bank.faulty_cells(0, static_cast<uint64_t>(idx.bits()), c.read_index)) {
    const detail::StreamLoc l = idx.locate(static_cast<int64_t>(f.cell));
    const bool stored = out.get(l), read = read_bit(stored, f, c.fault);
    if (read == stored) continue;
    out.set(l, read);
    FieldCounts& fc = rep.fields[static_cast<int>(l.field)];
    ++fc.raw_bit_errors;
    ++fc.silent_bit_errors;
  }
}

// Whether a plain region must be read: with `only`, a region holding none of that field's bits could change nothing
// written back, so its failing cells are not even drawn (the simulator's scales bank holds the codes in its data
// region, its codes bank the scales: most of the cells of each pass).
bool reads(const detail::StreamIndex& idx, std::optional<Field> only) { return !only || idx.holds(*only); }

// The lowest set bit of w at or above `from`, or WideWord::kBits when there is none.
int next_set_bit(const WideWord& w, int from) {
  for (int l = from >> 6; l < 3; ++l) {
    const uint64_t m = from > l * 64 ? w.limb[l] & (~uint64_t{0} << (from - l * 64)) : w.limb[l];
    if (m != 0) return l * 64 + std::countr_zero(m);
  }
  return WideWord::kBits;
}

// The SECDED-coded region: only codewords holding a failing cell are visited; every other codeword reads back clean
// by linearity (no error pattern, zero syndrome). By linearity too, what the decoder does to a codeword depends only
// on its error pattern e = read ^ written: decode(written ^ e) delivers data ^ (decode(e)'s data) with decode(e)'s
// status and corrected bit. A flip cell errs whatever it holds, so e is the word's failing cells and the data need not
// be gathered nor encoded; a stuck-at cell errs only where the written bit differs from its stuck value, so that path
// gathers and encodes the word (check bits included) first. Only the bits read or delivered wrong are located.
void inject_secded(const detail::StreamIndex& idx, const SramBank& bank, const SecdedCode& code,
                   const InjectionConfig& c, const TensorBytes& out, InjectionReport& rep) {
  const int k = code.data_bits(), n = code.codeword_bits();
  const int64_t data_bits = idx.bits();
  const bool stuck = c.fault == FaultKind::PersistentStuckAt;
  FieldCounts& checks = rep.fields[static_cast<int>(Field::CheckBits)];
  const std::vector<CellFault> faults =
      bank.faulty_cells(0, static_cast<uint64_t>(rep.footprint.protected_words * n), c.read_index);
  const uint8_t* codes = out.q.codes.data();
  const uint8_t* scales = out.q.scales.data();
  for (size_t i = 0; i < faults.size();) {
    const int64_t w = static_cast<int64_t>(faults[i].cell / static_cast<uint64_t>(n));
    const uint64_t word_first = static_cast<uint64_t>(w * n), word_end = word_first + static_cast<uint64_t>(n);
    const int valid = static_cast<int>(std::min<int64_t>(k, data_bits - w * k));  // bits past the end: zero padding
    std::optional<WideWord> data;  // the word's data bits, gathered only where needed
    const auto gather = [&]() -> const WideWord& {
      if (!data) data = idx.gather(codes, scales, out.ts, w * k, valid);
      return *data;
    };
    WideWord err;  // e: the cells read wrong, its syndrome (the XOR of their columns) and parity
    uint32_t syndrome = 0;
    bool odd = false;
    const WideWord sent = stuck ? code.encode(gather()) : WideWord{};
    for (; i < faults.size() && faults[i].cell < word_end; ++i) {
      const int b = static_cast<int>(faults[i].cell - word_first);
      if (stuck && sent.get(b) == faults[i].stuck_value) continue;
      err.flip(b);
      syndrome ^= code.column(b);
      odd = !odd;
    }
    if (!odd && err == WideWord{}) continue;  // stuck cells holding their stored values
    const DecodeResult d = code.decide(syndrome, odd, err.low_bits(k));
    const bool due = d.status == DecodeStatus::DetectedUncorrectable;
    // Delivered ^ written data: decode(e)'s data, or the written data itself where a DUE word is zeroed.
    const WideWord wrong = due && c.on_due == DuePolicy::Zero ? gather() : d.data;
    for (int b = next_set_bit(err, k); b < n; b = next_set_bit(err, b + 1)) {
      ++checks.raw_bit_errors;
      if (d.status == DecodeStatus::Corrected && d.corrected_bit == b) ++checks.corrected_bits;
    }
    const WideWord touched = WideWord{{err.limb[0] | wrong.limb[0], err.limb[1] | wrong.limb[1],
                                       err.limb[2] | wrong.limb[2]}}.low_bits(valid);
    for (int b = next_set_bit(touched, 0); b < valid; b = next_set_bit(touched, b + 1)) {  // the bits read wrong
      const bool raw_wrong = err.get(b), fin_wrong = wrong.get(b);
      const detail::StreamLoc l = idx.locate(w * k + b);
      FieldCounts& fc = rep.fields[static_cast<int>(l.field)];
      fc.raw_bit_errors += raw_wrong;
      fc.corrected_bits += raw_wrong && !fin_wrong;
      fc.due_bits += fin_wrong && due;
      fc.silent_bit_errors += fin_wrong && !due;
      if (fin_wrong) out.set(l, !out.get(l));  // a delivered bit is wrong: the complement of the written one
    }
    if (due) {
      ++rep.due_words;
    } else {
      if (d.status == DecodeStatus::Corrected) ++rep.corrected_words;
      if (!(d.data == WideWord{})) ++rep.miscorrected_words;
    }
  }
}

}  // namespace

InjectionReport inject_faults_in_place(QuantizedTensor& q, const InjectionConfig& config, std::optional<Field> only) {
  validate(config);
  const bool secded = config.protected_code == ProtectedCode::Secded;
  const SecdedCode code(config.word_bits);
  const int k = config.word_bits;
  InjectionReport rep;
  rep.footprint = footprint(q, config.layout, k, secded);
  const StorageFootprint& fp = rep.footprint;
  uint8_t ts[4];
  std::memcpy(ts, &q.tensor_scale, 4);
  const TensorBytes out{q, ts, only};

  // ---- protected region: SECDED codewords (or plain words) of the protected bank
  const detail::StreamIndex prot(q, config.layout, Region::Protected);
  const int n = secded ? code.codeword_bits() : k;
  const SramBank prot_bank({"protected", kProtectedBankId, protected_vdd(config), n, fp.protected_words, config.fault,
                            config.seed},
                           config.failure);
  rep.protected_bank_ber = prot_bank.bit_failure_probability();
  if (secded) {
    rep.codewords = static_cast<uint64_t>(fp.protected_words);
    rep.fields[static_cast<int>(Field::CheckBits)].bits_stored =
        static_cast<uint64_t>(fp.protected_words) * static_cast<uint64_t>(code.check_bits());
    inject_secded(prot, prot_bank, code, config, out, rep);
  } else if (reads(prot, only)) {
    inject_plain(prot, prot_bank, config, out, rep);
  }

  // ---- unprotected region (the voltage-scaled data bank)
  const detail::StreamIndex unprot(q, config.layout, Region::Unprotected);
  const SramBank data_bank({"data", kDataBankId, config.vdd_v, k, fp.unprotected_words, config.fault, config.seed},
                           config.failure);
  rep.data_bank_ber = data_bank.bit_failure_probability();
  if (reads(unprot, only)) inject_plain(unprot, data_bank, config, out, rep);
  std::memcpy(&q.tensor_scale, ts, 4);
  if (only) {  // the other data fields' counts are not this read's (and skipped regions left them partial)
    for (Field f : {Field::Codes, Field::BlockScales, Field::TensorScale})
      if (f != *only) rep.fields[static_cast<int>(f)] = FieldCounts{};
  }

  const detail::StoredShape sh = detail::stored_shape(q);
  rep.fields[static_cast<int>(Field::Codes)].bits_stored = static_cast<uint64_t>(q.rows * q.cols * sh.code_bits);
  rep.fields[static_cast<int>(Field::BlockScales)].bits_stored = static_cast<uint64_t>(sh.scale_count * sh.scale_bits);
  rep.fields[static_cast<int>(Field::TensorScale)].bits_stored = detail::stores_tensor_scale(q.spec.scheme) ? 32 : 0;
  return rep;
}

InjectionResult inject_faults(const QuantizedTensor& q, const InjectionConfig& config) {
  InjectionResult result;
  result.faulty = q;
  result.report = inject_faults_in_place(result.faulty, config);
  return result;
}

double analytic_silent_bit_rate(const QuantizedTensor& q, const InjectionConfig& config) {
  validate(config);
  const bool secded = config.protected_code == ProtectedCode::Secded;
  const StorageFootprint fp = footprint(q, config.layout, config.word_bits, secded);
  if (fp.data_bits == 0) return 0.0;
  const double per_bit = config.fault == FaultKind::PersistentStuckAt ? 0.5 : 1.0;  // stuck-at errs half the time
  const double p_data = per_bit * config.failure->bit_error_rate(config.vdd_v);
  const double p_prot = per_bit * config.failure->bit_error_rate(protected_vdd(config));
  double silent_bits = p_data * static_cast<double>(fp.unprotected_bits);
  if (!secded) {
    silent_bits += p_prot * static_cast<double>(fp.protected_bits);
  } else if (fp.protected_words > 0) {
    const SecdedCode code(config.word_bits);
    const PatternStats st = triple_error_stats(code);
    const double n = code.codeword_bits();
    const double c_n3 = n * (n - 1) * (n - 2) / 6.0;
    const double p3 = c_n3 * std::pow(p_prot, 3) * std::pow(1.0 - p_prot, n - 3);
    const double wrong_per_triple = static_cast<double>(st.wrong_data_bits) / static_cast<double>(st.patterns);
    // Wrong bits that land in the zero padding of the last word are not data; scale by the data share.
    const double data_share = static_cast<double>(fp.protected_bits) /
                              static_cast<double>(fp.protected_words * config.word_bits);
    silent_bits += static_cast<double>(fp.protected_words) * p3 * wrong_per_triple * data_share;
  }
  return silent_bits / static_cast<double>(fp.data_bits);
}

GemmErrorReport compare_outputs(const std::vector<float>& golden, const std::vector<float>& faulty) {
  if (golden.size() != faulty.size()) {
    throw Error("compare_outputs: golden has " + std::to_string(golden.size()) + " values, faulty " +
                std::to_string(faulty.size()));
  }
  GemmErrorReport r;
  r.outputs = static_cast<int64_t>(golden.size());
  double signal = 0.0, noise = 0.0;
  for (size_t i = 0; i < golden.size(); ++i) {
    if (float_bits(golden[i]) != float_bits(faulty[i])) ++r.differing;
    if (!std::isfinite(golden[i]) || !std::isfinite(faulty[i])) {
      if (float_bits(golden[i]) != float_bits(faulty[i])) ++r.nonfinite;
      continue;
    }
    const double g = golden[i], e = g - static_cast<double>(faulty[i]);
    signal += g * g;
    noise += e * e;
    r.max_abs_error = std::max(r.max_abs_error, std::abs(e));
  }
  r.sqnr_db = noise == 0.0 ? INFINITY : 10.0 * std::log10(signal / noise);
  return r;
}

}  // namespace nvfp4::ecc
