// Fault injection through banks and SECDED: bookkeeping, determinism, mixed voltage, GEMM error metrics.
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>

#include "ecc/fault_injector.hpp"
#include "ecc/sram_presets.hpp"
#include "numerics/error.hpp"
#include "tensor_fixtures.hpp"

using namespace nvfp4::ecc;
using nvfp4::Scheme;

namespace {

InjectionConfig config_for(const char* layout, double vdd, uint64_t seed = 1, int word_bits = 64) {
  InjectionConfig c;
  c.layout = ProtectionLayout::parse(layout, Scheme::NVFP4);
  c.word_bits = word_bits;
  c.vdd_v = vdd;
  c.failure = make_failure_model(sram_preset("sun2017-65nm"));
  c.seed = seed;
  return c;
}

uint64_t diff_bits(const nvfp4::QuantizedTensor& a, const nvfp4::QuantizedTensor& b) {
  uint64_t n = 0;
  for (size_t i = 0; i < a.codes.size(); ++i) n += static_cast<uint64_t>(std::popcount(unsigned(a.codes[i] ^ b.codes[i])));
  for (size_t i = 0; i < a.scales.size(); ++i) n += static_cast<uint64_t>(std::popcount(unsigned(a.scales[i] ^ b.scales[i])));
  return n + static_cast<uint64_t>(std::popcount(std::bit_cast<uint32_t>(a.tensor_scale) ^
                                                 std::bit_cast<uint32_t>(b.tensor_scale)));
}

}  // namespace

TEST_CASE("nominal voltage: no faults, the tensor comes back bit for bit", "[inject]") {
  const auto q = ecc_test::random_nvfp4(32, 128, 5);
  const auto r = inject_faults(q, config_for("full", 1.0));
  CHECK(r.faulty.codes == q.codes);
  CHECK(r.faulty.scales == q.scales);
  CHECK(r.report.total_data().raw_bit_errors == 0);
  CHECK(r.report.codewords == static_cast<uint64_t>(r.report.footprint.protected_words));
  CHECK(r.report.total_data().bits_stored == static_cast<uint64_t>(r.report.footprint.data_bits));
}

TEST_CASE("no protection with BER 1 (flip): every stored bit is a silent error", "[inject]") {
  const auto q = ecc_test::random_nvfp4(4, 40, 6);
  auto c = config_for("none", 0.5);
  c.failure = std::make_shared<FixedRateModel>(1.0, 1.0);
  const auto r = inject_faults(q, c);
  for (Field f : {Field::Codes, Field::BlockScales, Field::TensorScale}) {
    INFO(to_string(f));
    CHECK(r.report[f].raw_bit_errors == r.report[f].bits_stored);
    CHECK(r.report[f].silent_bit_errors == r.report[f].bits_stored);
    CHECK(r.report[f].corrected_bits == 0);
  }
  // every element nibble inverted, pad nibbles untouched
  for (int64_t row = 0; row < q.rows; ++row) {
    for (int64_t col = 0; col < q.cols; ++col) REQUIRE(r.faulty.code(row, col) == (q.code(row, col) ^ 0xF));
  }
}

TEST_CASE("SECDED bookkeeping: decoded differences are exactly the due + silent bits", "[inject]") {
  const auto q = ecc_test::random_nvfp4(64, 256, 7);
  for (const char* layout : {"full", "sign-exp-scale", "scale"}) {
    for (double v : {0.55, 0.5, 0.45}) {
      const auto r = inject_faults(q, config_for(layout, v, 3));
      const FieldCounts t = r.report.total_data();
      INFO(layout << " at " << v << " V");
      CHECK(t.raw_bit_errors > 0);
      CHECK(diff_bits(q, r.faulty) == t.due_bits + t.silent_bit_errors);
      CHECK(t.corrected_bits <= t.raw_bit_errors);
      CHECK(r.report.corrected_words + r.report.due_words <= r.report.codewords);
      CHECK(r.report.miscorrected_words <= r.report.codewords - r.report.due_words);
      if (std::string(layout) == "full") CHECK(t.corrected_bits > 0);
    }
  }
  // Single errors per word at a low rate are all corrected: nothing silent under `full`.
  auto c = config_for("full", 0.62, 11);
  const auto r = inject_faults(q, c);
  CHECK(r.report.total_data().raw_bit_errors + r.report[Field::CheckBits].raw_bit_errors > 0);
  CHECK(r.report.total_data().silent_bit_errors == 0);
  CHECK(r.report.due_words == 0);
  CHECK(r.faulty.codes == q.codes);
}

TEST_CASE("on_due = zero delivers zero data bits for flagged words, keep delivers them as read", "[inject]") {
  const auto q = ecc_test::random_nvfp4(64, 256, 12);
  auto keep = config_for("full", 0.5, 4);
  auto zero = keep;
  zero.on_due = DuePolicy::Zero;
  const auto rk = inject_faults(q, keep), rz = inject_faults(q, zero);
  REQUIRE(rk.report.due_words > 10);
  CHECK(rz.report.due_words == rk.report.due_words);
  CHECK(rz.report.total_data().raw_bit_errors == rk.report.total_data().raw_bit_errors);
  CHECK(rz.report.total_data().silent_bit_errors == rk.report.total_data().silent_bit_errors);
  CHECK(rz.report.total_data().due_bits != rk.report.total_data().due_bits);
  // With `full` and 64-bit words the stream starts with block (0,0): find a DUE word among the first codewords by
  // comparing: a word zeroed under `zero` has all 64 data bits 0, which random data essentially never is.
  size_t zero_bytes = 0;
  for (size_t i = 0; i < rz.faulty.codes.size(); ++i) zero_bytes += rz.faulty.codes[i] == 0 && rk.faulty.codes[i] != 0;
  CHECK(zero_bytes > 0);
  CHECK(parse_due_policy("zero") == DuePolicy::Zero);
  CHECK_THROWS_WITH(parse_due_policy("retry"), Catch::Contains("keep, zero"));
}

TEST_CASE("deterministic for a seed", "[inject]") {
  const auto q = ecc_test::random_nvfp4(16, 64, 8);
  const auto a = inject_faults(q, config_for("sign-exp-scale", 0.5, 42));
  const auto b = inject_faults(q, config_for("sign-exp-scale", 0.5, 42));
  const auto c = inject_faults(q, config_for("sign-exp-scale", 0.5, 43));
  CHECK(a.faulty.codes == b.faulty.codes);
  CHECK(a.faulty.scales == b.faulty.scales);
  CHECK(a.report.total_data().silent_bit_errors == b.report.total_data().silent_bit_errors);
  CHECK(a.faulty.codes != c.faulty.codes);
}

TEST_CASE("mixed voltage: protected fields at nominal voltage see no faults", "[inject]") {
  const auto q = ecc_test::random_nvfp4(64, 256, 9);
  auto c = config_for("sign-exp-scale", 0.45, 5);
  c.protected_vdd_v = 1.0;
  c.protected_code = ProtectedCode::None;
  const auto r = inject_faults(q, c);
  CHECK(r.report.footprint.check_bits == 0);
  CHECK(r.report[Field::BlockScales].raw_bit_errors == 0);
  CHECK(r.report[Field::TensorScale].raw_bit_errors == 0);
  CHECK(r.report[Field::Codes].raw_bit_errors > 0);
  CHECK(r.faulty.scales == q.scales);
  for (size_t i = 0; i < q.codes.size(); ++i) REQUIRE(((q.codes[i] ^ r.faulty.codes[i]) & 0xEE) == 0);  // mantissas only
  CHECK_THROWS_WITH([&] { auto bad = c; bad.protected_vdd_v = 1.3; inject_faults(q, bad); }(),
                    Catch::Contains("above the nominal"));
}

TEST_CASE("invalid injection configs are refused", "[inject]") {
  const auto q = ecc_test::random_nvfp4(2, 16, 1);
  auto c = config_for("full", 0.5);
  c.word_bits = 2;
  CHECK_THROWS_WITH(inject_faults(q, c), Catch::Contains("out of range"));
  c = config_for("full", 0.0);
  CHECK_THROWS_WITH(inject_faults(q, c), Catch::Contains("> 0"));
  c = config_for("full", 0.5);
  c.failure = nullptr;
  CHECK_THROWS_AS(inject_faults(q, c), nvfp4::Error);
  CHECK_THROWS_WITH(parse_protected_code("hamming"), Catch::Contains("secded, none"));
}

TEST_CASE("GEMM output comparison: SQNR, max abs error, non-finite outputs", "[inject]") {
  const std::vector<float> g{1.0f, -2.0f, 3.0f, 4.0f};
  const auto same = compare_outputs(g, g);
  CHECK(same.differing == 0);
  CHECK(std::isinf(same.sqnr_db));
  CHECK(same.max_abs_error == 0.0);
  const auto r = compare_outputs(g, {1.0f, -2.0f, 3.5f, NAN});
  CHECK(r.differing == 2);
  CHECK(r.nonfinite == 1);
  CHECK(r.max_abs_error == 0.5);
  CHECK(r.sqnr_db == Approx(10.0 * std::log10((1.0 + 4.0 + 9.0) / 0.25)));
  CHECK_THROWS_AS(compare_outputs(g, {1.0f}), nvfp4::Error);
}
