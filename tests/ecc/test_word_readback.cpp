// Plain words through an SRAM bank's fault map (ecc/word_readback.hpp): no faults at nominal voltage, faults at low
// voltage change words (plain) and SECDED corrects the single errors; the counts add up; bad widths are refused; the
// sparse read-back (only words holding a failing cell decoded) equals a dense oracle that places every cell.
#include <catch2/catch.hpp>

#include <bit>
#include <optional>

#include "ecc/secded.hpp"
#include "ecc/sram_presets.hpp"
#include "ecc/word_readback.hpp"

using namespace nvfp4::ecc;

namespace {
std::vector<uint64_t> words(size_t n, int bits) {
  std::vector<uint64_t> w;
  for (size_t i = 0; i < n; ++i) w.push_back((i * 0x9E3779B97F4A7C15ull) & ((uint64_t{1} << bits) - 1));
  return w;
}
SramBankSpec bank(double v) {
  SramBankSpec b;
  b.bank_id = 900;
  b.vdd_v = v;
  b.seed = 11;
  return b;
}

// Dense oracle: every word's cells (data, then check bits) placed bit by bit in one image, read through the bank,
// every word decoded.
WordReadback dense_read_back(const std::vector<uint64_t>& words, int data_bits, ProtectedCode code,
                             const SramBankSpec& bank, std::shared_ptr<const FailureModel> failure, DuePolicy on_due) {
  const bool coded = code == ProtectedCode::Secded;
  std::optional<SecdedCode> secded;
  if (coded) secded.emplace(data_bits);
  const int cells = coded ? secded->codeword_bits() : data_bits;
  const uint64_t mask = data_bits == 64 ? ~uint64_t{0} : (uint64_t{1} << data_bits) - 1;
  BitImage image;
  for (uint64_t w : words) {
    for (int b = 0; b < data_bits; ++b) image.push_back((w >> b) & 1u);
    if (coded) {
      const uint32_t c = secded->check_bits_of(WideWord{{w & mask, 0, 0}});
      for (int b = 0; b < cells - data_bits; ++b) image.push_back((c >> b) & 1u);
    }
  }
  SramBankSpec spec = bank;
  spec.word_bits = cells;
  spec.words = static_cast<int64_t>(words.size());
  SramBank sram(spec, std::move(failure));
  WordReadback r;
  r.bit_error_rate = sram.bit_failure_probability();
  sram.read(image, 0);
  for (size_t i = 0; i < words.size(); ++i) {
    const uint64_t stored = words[i] & mask;
    const int64_t base = static_cast<int64_t>(i) * cells;
    WideWord cw;
    for (int b = 0; b < cells; ++b) cw.set(b, image.get(base + b));
    const uint64_t raw = cw.field(0, data_bits);
    r.data.bits_stored += static_cast<uint64_t>(data_bits);
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
    r.data.corrected_bits += static_cast<uint64_t>(std::popcount((raw ^ stored) & ~(out ^ stored)));
    (due ? r.data.due_bits : r.data.silent_bit_errors) += static_cast<uint64_t>(std::popcount(out ^ stored));
    r.words.push_back(out);
  }
  return r;
}
}  // namespace

TEST_CASE("words read back through the fault map") {
  const SramPreset& p = sram_preset("sky130-openram");
  const auto failure = make_failure_model(p);
  const std::vector<uint64_t> w = words(4096, 24);
  const WordReadback clean = read_back_words(w, 24, ProtectedCode::None, bank(p.nominal_vdd_v), failure);
  CHECK(clean.words == w);
  CHECK(clean.data.bits_stored == 4096u * 24u);
  CHECK(clean.data.raw_bit_errors == 0);

  const WordReadback plain = read_back_words(w, 24, ProtectedCode::None, bank(0.95), failure);
  REQUIRE(plain.data.raw_bit_errors > 0);
  CHECK(plain.words != w);
  CHECK(plain.data.silent_bit_errors == plain.data.raw_bit_errors);  // no code: every raw error is delivered
  uint64_t wrong = 0;
  for (size_t i = 0; i < w.size(); ++i) wrong += static_cast<uint64_t>(__builtin_popcountll(plain.words[i] ^ w[i]));
  CHECK(wrong == plain.data.raw_bit_errors);

  const WordReadback coded = read_back_words(w, 24, ProtectedCode::Secded, bank(0.95), failure);
  REQUIRE(coded.data.raw_bit_errors > 0);
  CHECK(coded.corrected_words > 0);
  CHECK(coded.data.corrected_bits + coded.data.due_bits + coded.data.silent_bit_errors >= coded.data.corrected_bits);
  uint64_t coded_wrong = 0;
  for (size_t i = 0; i < w.size(); ++i) coded_wrong += static_cast<uint64_t>(__builtin_popcountll(coded.words[i] ^ w[i]));
  CHECK(coded_wrong == coded.data.due_bits + coded.data.silent_bit_errors);
  CHECK(coded_wrong < plain.data.raw_bit_errors);  // SECDED delivers fewer wrong bits than the plain store

  // Deterministic: the same seed gives the same faults.
  CHECK(read_back_words(w, 24, ProtectedCode::None, bank(0.95), failure).words == plain.words);
  CHECK_THROWS(read_back_words(w, 3, ProtectedCode::Secded, bank(0.95), failure));
  CHECK_THROWS(read_back_words(w, 65, ProtectedCode::None, bank(0.95), failure));
}

TEST_CASE("sparse word read-back equals the dense oracle bit for bit and count for count") {
  const auto failure = make_failure_model(sram_preset("sun2017-65nm"));
  uint64_t corrected = 0, due = 0, miscorrected = 0, silent = 0;
  for (int data_bits : {4, 11, 24, 57, 64}) {
    std::vector<uint64_t> w = words(3000, std::min(data_bits, 63));
    for (size_t i = 0; i < w.size(); i += 7) w[i] |= ~uint64_t{0} << std::min(data_bits, 63);  // bits above the width
    for (ProtectedCode code : {ProtectedCode::Secded, ProtectedCode::None}) {
      if (code == ProtectedCode::Secded && data_bits < SecdedCode::kMinDataBits) continue;
      for (FaultKind kind : {FaultKind::PersistentFlip, FaultKind::PersistentStuckAt, FaultKind::TransientFlip}) {
        for (DuePolicy on_due : {DuePolicy::Keep, DuePolicy::Zero}) {
          SramBankSpec b = bank(0.55);  // p ~ 1e-2: single, double and triple errors per word
          b.fault = kind;
          INFO("data_bits " << data_bits << " code " << to_string(code) << " kind " << to_string(kind));
          const WordReadback s = read_back_words(w, data_bits, code, b, failure, on_due);
          const WordReadback d = dense_read_back(w, data_bits, code, b, failure, on_due);
          REQUIRE(s.words == d.words);
          REQUIRE(s.data.bits_stored == d.data.bits_stored);
          REQUIRE(s.data.raw_bit_errors == d.data.raw_bit_errors);
          REQUIRE(s.data.corrected_bits == d.data.corrected_bits);
          REQUIRE(s.data.due_bits == d.data.due_bits);
          REQUIRE(s.data.silent_bit_errors == d.data.silent_bit_errors);
          REQUIRE(s.corrected_words == d.corrected_words);
          REQUIRE(s.due_words == d.due_words);
          REQUIRE(s.miscorrected_words == d.miscorrected_words);
          REQUIRE(s.bit_error_rate == d.bit_error_rate);
          corrected += s.corrected_words;
          due += s.due_words;
          miscorrected += s.miscorrected_words;
          silent += s.data.silent_bit_errors;
        }
      }
    }
  }
  CHECK(corrected > 100);  // every decoder outcome occurred (guard against a trivially equal, fault-free run)
  CHECK(due > 100);
  CHECK(miscorrected > 0);
  CHECK(silent > 1000);
}
