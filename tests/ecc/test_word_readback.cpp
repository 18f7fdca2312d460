// Plain words through an SRAM bank's fault map (ecc/word_readback.hpp): no faults at nominal voltage, faults at low
// voltage change words (plain) and SECDED corrects the single errors; the counts add up; bad widths are refused.
#include <catch2/catch.hpp>

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
