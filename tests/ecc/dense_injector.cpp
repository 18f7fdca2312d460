// Test oracle: the dense fault injector (every stored bit gathered, every codeword encoded, read through the bank and
// decoded), kept to prove that the sparse ecc::inject_faults gives the same bits and counts on the same fault map.
#include "dense_injector.hpp"

#include <bit>
#include <cstring>
#include <string>

#include "ecc/secded.hpp"
#include "ecc/src/stored_bits.hpp"

namespace nvfp4::ecc::test {

namespace {

constexpr uint32_t kDataBankId = 0;
constexpr uint32_t kProtectedBankId = 1;

double protected_vdd(const InjectionConfig& c) { return c.protected_vdd_v < 0.0 ? c.vdd_v : c.protected_vdd_v; }

// Chops `bits` into words of `k` bits (last one zero-padded) laid out back to back.
BitImage padded(const BitImage& bits, int k) {
  const int64_t words = (bits.bits + k - 1) / k;
  BitImage out(words * k);
  out.words.assign(out.words.size(), 0);
  for (size_t i = 0; i < bits.words.size(); ++i) out.words[i] = bits.words[i];
  if (bits.bits % 64 != 0 && !bits.words.empty()) {  // clear garbage past the end of the source (none expected)
    out.words[bits.words.size() - 1] &= (uint64_t{1} << (bits.bits % 64)) - 1;
  }
  return out;
}

BitImage truncated(const BitImage& bits, int64_t n) {
  BitImage out(n);
  for (size_t i = 0; i < out.words.size(); ++i) out.words[i] = bits.words[i];
  if (n % 64 != 0 && !out.words.empty()) out.words.back() &= (uint64_t{1} << (n % 64)) - 1;
  return out;
}

WideWord word_at(const BitImage& img, int64_t lo, int n) {
  WideWord w;
  for (int b = 0; b < n; ++b) w.set(b, img.get(lo + b));
  return w;
}

void put_word(BitImage& img, int64_t lo, int n, const WideWord& w) {
  for (int b = 0; b < n; ++b) img.set(lo + b, w.get(b));
}

// A tensor with every stored bit zero (same shape), used as a per-bit mask.
QuantizedTensor zero_like(const QuantizedTensor& q) {
  QuantizedTensor z = q;
  std::fill(z.codes.begin(), z.codes.end(), uint8_t{0});
  std::fill(z.scales.begin(), z.scales.end(), uint8_t{0});
  z.tensor_scale = 0.0f;
  return z;
}

uint32_t float_bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

// Counts of raw / corrected / due / silent bits for one field, from byte arrays of the original, the raw read, the
// decoded result and the DUE mask.
void count_field(FieldCounts& fc, const uint8_t* orig, const uint8_t* raw, const uint8_t* fin, const uint8_t* due,
                 size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const unsigned raw_diff = orig[i] ^ raw[i];
    const unsigned fin_diff = orig[i] ^ fin[i];
    fc.raw_bit_errors += static_cast<uint64_t>(std::popcount(raw_diff));
    fc.corrected_bits += static_cast<uint64_t>(std::popcount(raw_diff & ~fin_diff & 0xFFu));
    fc.due_bits += static_cast<uint64_t>(std::popcount(fin_diff & due[i]));
    fc.silent_bit_errors += static_cast<uint64_t>(std::popcount(fin_diff & ~unsigned{due[i]} & 0xFFu));
  }
}

}  // namespace

InjectionResult dense_inject_faults(const QuantizedTensor& q, const InjectionConfig& config) {
  (void)inject_faults(q, config);  // validates the config with the library's messages
  const bool secded = config.protected_code == ProtectedCode::Secded;
  const SecdedCode code(config.word_bits);
  const int k = config.word_bits;
  InjectionResult result;
  InjectionReport& rep = result.report;
  rep.footprint = footprint(q, config.layout, k, secded);
  const StorageFootprint& fp = rep.footprint;

  // ---- protected region
  const BitImage prot = gather(q, config.layout, Region::Protected);
  const BitImage prot_words = padded(prot, k);
  const int64_t nw = fp.protected_words;
  const int n = secded ? code.codeword_bits() : k;
  SramBank prot_bank({"protected", kProtectedBankId, protected_vdd(config), n, nw, config.fault, config.seed},
                     config.failure);
  rep.protected_bank_ber = prot_bank.bit_failure_probability();
  BitImage prot_raw_data(nw * k), prot_final(nw * k), prot_due(nw * k);
  FieldCounts& checks = rep.fields[static_cast<int>(Field::CheckBits)];
  if (secded) {
    BitImage cells(nw * n);
    for (int64_t w = 0; w < nw; ++w) put_word(cells, w * n, n, code.encode(word_at(prot_words, w * k, k)));
    const BitImage written = cells;
    prot_bank.count_write(static_cast<uint64_t>(nw));
    prot_bank.read(cells, 0, config.read_index);
    checks.bits_stored = static_cast<uint64_t>(nw) * static_cast<uint64_t>(code.check_bits());
    for (int64_t w = 0; w < nw; ++w) {
      const WideWord stored = word_at(cells, w * n, n);
      const WideWord sent = word_at(written, w * n, n);
      const WideWord diff = stored ^ sent;
      const DecodeResult d = code.decode(stored);
      put_word(prot_raw_data, w * k, k, stored.low_bits(k));
      const bool zero_it = d.status == DecodeStatus::DetectedUncorrectable && config.on_due == DuePolicy::Zero;
      put_word(prot_final, w * k, k, zero_it ? WideWord{} : d.data);
      ++rep.codewords;
      for (int b = k; b < n; ++b) {
        if (!diff.get(b)) continue;
        ++checks.raw_bit_errors;
        if (d.status == DecodeStatus::Corrected && d.corrected_bit == b) ++checks.corrected_bits;
      }
      if (d.status == DecodeStatus::DetectedUncorrectable) {
        ++rep.due_words;
        for (int b = 0; b < k; ++b) prot_due.set(w * k + b, true);
      } else {
        if (d.status == DecodeStatus::Corrected) ++rep.corrected_words;
        if (!(d.data == sent.low_bits(k))) ++rep.miscorrected_words;
      }
    }
  } else {
    BitImage cells = prot_words;
    prot_bank.count_write(static_cast<uint64_t>(nw));
    prot_bank.read(cells, 0, config.read_index);
    prot_raw_data = cells;
    prot_final = cells;
  }

  // ---- unprotected region (the voltage-scaled data bank)
  const BitImage unprot = gather(q, config.layout, Region::Unprotected);
  BitImage unprot_cells = padded(unprot, k);
  SramBank data_bank({"data", kDataBankId, config.vdd_v, k, fp.unprotected_words, config.fault, config.seed},
                     config.failure);
  rep.data_bank_ber = data_bank.bit_failure_probability();
  data_bank.count_write(static_cast<uint64_t>(fp.unprotected_words));
  data_bank.read(unprot_cells, 0, config.read_index);
  const BitImage unprot_read = truncated(unprot_cells, unprot.bits);

  // ---- back into tensors: final (decoded), raw (as read), due mask
  result.faulty = q;
  scatter(truncated(prot_final, prot.bits), config.layout, Region::Protected, result.faulty);
  scatter(unprot_read, config.layout, Region::Unprotected, result.faulty);
  QuantizedTensor raw = q;
  scatter(truncated(prot_raw_data, prot.bits), config.layout, Region::Protected, raw);
  scatter(unprot_read, config.layout, Region::Unprotected, raw);
  QuantizedTensor due = zero_like(q);
  scatter(truncated(prot_due, prot.bits), config.layout, Region::Protected, due);

  const detail::StoredShape sh = detail::stored_shape(q);
  FieldCounts& codes = rep.fields[static_cast<int>(Field::Codes)];
  FieldCounts& scales = rep.fields[static_cast<int>(Field::BlockScales)];
  FieldCounts& ts = rep.fields[static_cast<int>(Field::TensorScale)];
  codes.bits_stored = static_cast<uint64_t>(q.rows * q.cols * sh.code_bits);
  scales.bits_stored = static_cast<uint64_t>(sh.scale_count * sh.scale_bits);
  ts.bits_stored = detail::stores_tensor_scale(q.spec.scheme) ? 32 : 0;
  count_field(codes, q.codes.data(), raw.codes.data(), result.faulty.codes.data(), due.codes.data(), q.codes.size());
  count_field(scales, q.scales.data(), raw.scales.data(), result.faulty.scales.data(), due.scales.data(),
              q.scales.size());
  const uint32_t t_orig = float_bits(q.tensor_scale), t_raw = float_bits(raw.tensor_scale),
                 t_fin = float_bits(result.faulty.tensor_scale), t_due = float_bits(due.tensor_scale);
  count_field(ts, reinterpret_cast<const uint8_t*>(&t_orig), reinterpret_cast<const uint8_t*>(&t_raw),
              reinterpret_cast<const uint8_t*>(&t_fin), reinterpret_cast<const uint8_t*>(&t_due), 4);
  return result;
}

}  // namespace nvfp4::ecc::test
