// ProtectedMemory: byte storage + the layout's protected / unprotected bit streams + persistent fault maps + SECDED.
// Sparse like the injector: a read copies the stored bytes and then touches only the failing cells of its range and
// the codewords holding one (every other codeword decodes clean by linearity).
#include "ecc/protected_memory.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "ecc/secded.hpp"
#include "numerics/error.hpp"

namespace nvfp4::ecc {

MemoryReadCounts& MemoryReadCounts::operator+=(const MemoryReadCounts& o) {
  raw_bit_errors += o.raw_bit_errors;
  corrected_bits += o.corrected_bits;
  due_bits += o.due_bits;
  silent_bit_errors += o.silent_bit_errors;
  corrected_words += o.corrected_words;
  due_words += o.due_words;
  return *this;
}

namespace {

bool read_bit(bool stored, const CellFault& f, FaultKind kind) {
  return kind == FaultKind::PersistentStuckAt ? f.stuck_value : !stored;
}

void set_bit(uint8_t* bytes, int64_t i, bool v) {
  const auto m = static_cast<uint8_t>(1u << (i & 7));
  uint8_t& b = bytes[i >> 3];
  b = v ? static_cast<uint8_t>(b | m) : static_cast<uint8_t>(b & ~m);
}

// The faults of cells [first, last) of a sorted map.
std::pair<std::vector<CellFault>::const_iterator, std::vector<CellFault>::const_iterator> faults_in(
    const std::vector<CellFault>& map, uint64_t first, uint64_t last) {
  auto lo = std::lower_bound(map.begin(), map.end(), first, [](const CellFault& f, uint64_t c) { return f.cell < c; });
  auto hi = std::lower_bound(lo, map.end(), last, [](const CellFault& f, uint64_t c) { return f.cell < c; });
  return {lo, hi};
}

}  // namespace

ProtectedMemory::ProtectedMemory(const ProtectedMemorySpec& spec, std::shared_ptr<const FailureModel> failure)
    : spec_(spec), data_(static_cast<size_t>(std::max<int64_t>(spec.bytes, 0)), 0) {
  const int e = spec.element_bits;
  if (spec.bytes < 0) throw Error("protected memory: negative size");
  if (e != 4 && e != 8 && e != 16 && e != 32) {
    throw Error("protected memory: element width " + std::to_string(e) + " bits (accepted: 4, 8, 16, 32)");
  }
  if (e < 32 && (spec.element_mask >> e) != 0) {
    throw Error("protected memory: protection mask has bits beyond the " + std::to_string(e) + "-bit element");
  }
  (void)SecdedCode::check_bits_for(spec.word_bits);  // word width 4..128, with the codec's message
  if (spec.fault == FaultKind::TransientFlip) throw Error("protected memory: transient faults have no persistent map");
  if (spec.bank_id + 1 >= 1024) throw Error("protected memory: bank id must be below 1023");
  for (int b = 0; b < e; ++b) ((spec.element_mask >> b) & 1u ? prot_pos_ : unprot_pos_).push_back(b);
  const int64_t bits = spec.bytes * 8;
  protected_bits_ = stream_index(bits, true);
  if (!failure) return;
  const double prot_v = spec.protected_vdd_v < 0 ? spec.vdd_v : spec.protected_vdd_v;
  p_data_ = failure->bit_error_rate(spec.vdd_v);  // refuses voltages outside the model's range now
  p_prot_ = failure->bit_error_rate(prot_v);
  faults_on_ = true;
}

void ProtectedMemory::draw_maps() const {
  // Drawn on the first read: a simulation that never reads through the socket (a batch run) never pays for them.
  if (!faults_on_ || maps_drawn_) return;
  maps_drawn_ = true;
  const int k = spec_.word_bits;
  const int n = spec_.code == ProtectedCode::Secded ? k + SecdedCode::check_bits_for(k) : k;
  const int64_t words = (protected_bits_ + k - 1) / k;
  data_faults_ = ecc::faulty_cells(spec_.seed, spec_.bank_id, 0, p_data_, 0,
                                   static_cast<uint64_t>(spec_.bytes * 8 - protected_bits_));
  protected_faults_ = ecc::faulty_cells(spec_.seed, spec_.bank_id + 1, 0, p_prot_, 0, static_cast<uint64_t>(words * n));
}

int64_t ProtectedMemory::failing_cells() const {
  draw_maps();
  return static_cast<int64_t>(data_faults_.size() + protected_faults_.size());
}

int64_t ProtectedMemory::stream_index(int64_t x, bool prot) const {
  const std::vector<int>& pos = prot ? prot_pos_ : unprot_pos_;
  const int e = spec_.element_bits, r = static_cast<int>(x % e);
  const auto before = std::lower_bound(pos.begin(), pos.end(), r) - pos.begin();  // such bits below r in the element
  return x / e * static_cast<int64_t>(pos.size()) + before;
}

int64_t ProtectedMemory::bank_bit(int64_t q, bool prot) const {
  const std::vector<int>& pos = prot ? prot_pos_ : unprot_pos_;
  const auto per = static_cast<int64_t>(pos.size());
  return q / per * spec_.element_bits + pos[static_cast<size_t>(q % per)];
}

void ProtectedMemory::write(int64_t offset, const uint8_t* data, int64_t len) {
  if (offset < 0 || len < 0 || offset > spec_.bytes || len > spec_.bytes - offset) {
    throw Error("protected memory: write of " + std::to_string(len) + " bytes at " + std::to_string(offset) +
                " leaves the " + std::to_string(spec_.bytes) + "-byte memory");
  }
  if (len > 0) std::memcpy(&data_[static_cast<size_t>(offset)], data, static_cast<size_t>(len));
}

// Unprotected cells: a failing cell that changes its bit is a raw and a silent error.
void ProtectedMemory::read_plain(int64_t x0, int64_t x1, uint8_t* out, int64_t offset, MemoryReadCounts& c) const {
  if (unprot_pos_.empty()) return;
  const auto [lo, hi] = faults_in(data_faults_, static_cast<uint64_t>(stream_index(x0, false)),
                                  static_cast<uint64_t>(stream_index(x1, false)));
  for (auto f = lo; f != hi; ++f) {
    const int64_t x = bank_bit(static_cast<int64_t>(f->cell), false);
    const bool stored = bit(x), got = read_bit(stored, *f, spec_.fault);
    if (got == stored) continue;
    set_bit(out, x - offset * 8, got);
    ++c.raw_bit_errors;
    ++c.silent_bit_errors;
  }
}

// Protected words overlapping the range: each holding a failing cell is gathered, encoded, read and decoded.
void ProtectedMemory::read_protected(int64_t x0, int64_t x1, uint8_t* out, int64_t offset,
                                     MemoryReadCounts& c) const {
  const int64_t q0 = stream_index(x0, true), q1 = stream_index(x1, true);
  if (q0 >= q1) return;
  const int k = spec_.word_bits;
  const bool secded = spec_.code == ProtectedCode::Secded;
  const SecdedCode code(k);
  const int n = secded ? code.codeword_bits() : k;
  const int64_t w0 = q0 / k, w1 = (q1 - 1) / k + 1;
  const auto [lo, hi] = faults_in(protected_faults_, static_cast<uint64_t>(w0 * n), static_cast<uint64_t>(w1 * n));
  for (auto f = lo; f != hi;) {
    const int64_t w = static_cast<int64_t>(f->cell) / n;
    const int valid = static_cast<int>(std::min<int64_t>(k, protected_bits_ - w * k));  // past the end: zero padding
    WideWord data;
    for (int b = 0; b < valid; ++b) data.set(b, bit(bank_bit(w * k + b, true)));
    const WideWord sent = secded ? code.encode(data) : data;
    WideWord got = sent;
    for (; f != hi && static_cast<int64_t>(f->cell) / n == w; ++f) {
      const int b = static_cast<int>(static_cast<int64_t>(f->cell) - w * n);
      got.set(b, read_bit(sent.get(b), *f, spec_.fault));
    }
    const WideWord diff = got ^ sent;
    if (diff == WideWord{}) continue;  // stuck cells holding their stored values
    DecodeResult d;
    if (secded) d = code.decode(got);
    else d.data = got;  // plain word: delivered as read
    const bool due = d.status == DecodeStatus::DetectedUncorrectable;
    c.corrected_words += d.status == DecodeStatus::Corrected;
    c.due_words += due;
    const WideWord fin = due && spec_.on_due == DuePolicy::Zero ? WideWord{} : d.data;
    for (int b = 0; b < valid; ++b) {
      const int64_t q = w * k + b;
      if (q < q0 || q >= q1) continue;
      const bool raw_wrong = diff.get(b), fin_wrong = fin.get(b) != data.get(b);
      c.raw_bit_errors += raw_wrong;
      c.corrected_bits += raw_wrong && !fin_wrong;
      c.due_bits += fin_wrong && due;
      c.silent_bit_errors += fin_wrong && !due;
      if (fin_wrong) set_bit(out, bank_bit(q, true) - offset * 8, fin.get(b));
    }
  }
}

MemoryReadCounts ProtectedMemory::read(int64_t offset, uint8_t* out, int64_t len) const {
  if (offset < 0 || len < 0 || offset > spec_.bytes || len > spec_.bytes - offset) {
    throw Error("protected memory: read of " + std::to_string(len) + " bytes at " + std::to_string(offset) +
                " leaves the " + std::to_string(spec_.bytes) + "-byte memory");
  }
  MemoryReadCounts c;
  if (len == 0) return c;
  draw_maps();
  std::memcpy(out, &data_[static_cast<size_t>(offset)], static_cast<size_t>(len));
  const int64_t x0 = offset * 8, x1 = (offset + len) * 8;
  read_plain(x0, x1, out, offset, c);
  if (!prot_pos_.empty()) read_protected(x0, x1, out, offset, c);
  return c;
}

}  // namespace nvfp4::ecc
