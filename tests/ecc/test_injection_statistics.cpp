// Statistical proof of the injector: the silent bit error rate after SECDED matches the analytic value of the layout
// within its confidence interval, and without protection the silent rate is p(V).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>

#include "ecc/fault_injector.hpp"
#include "ecc/secded.hpp"
#include "ecc/sram_presets.hpp"
#include "tensor_fixtures.hpp"

using namespace nvfp4::ecc;

namespace {

InjectionConfig config_for(const char* layout, double vdd, uint64_t seed, int word_bits) {
  InjectionConfig c;
  c.layout = ProtectionLayout::parse(layout, nvfp4::Scheme::NVFP4);
  c.word_bits = word_bits;
  c.vdd_v = vdd;
  c.failure = make_failure_model(sram_preset("sun2017-65nm"));
  c.seed = seed;
  return c;
}

// Silent bits come in clumps of at most `clump` per event (a miscorrected word holds <= 4 wrong data bits), so
// Var(count) <= clump * E[count]; the check is |observed - expected| <= 3 sqrt(clump * expected).
void check_rate(const char* what, double observed_bits, double expected_bits, double clump) {
  const double sigma = std::sqrt(clump * expected_bits);
  std::printf("%s: observed %.0f silent bits, analytic %.1f +- %.1f (1 sigma)\n", what, observed_bits, expected_bits,
              sigma);
  INFO(what << ": observed " << observed_bits << ", analytic " << expected_bits << " +- " << sigma);
  CHECK(std::abs(observed_bits - expected_bits) <= 3.0 * sigma);
  CHECK(expected_bits > 100.0);  // enough events for the interval to be tight
}

}  // namespace

TEST_CASE("silent error rate after SECDED matches the analytic value", "[inject][statistics]") {
  const auto q = ecc_test::random_nvfp4(512, 4096, 21);  // 2 M elements, 131 k blocks: 9.4 Mbit
  struct Case { const char* layout; double vdd; int word_bits; };
  for (Case c : {Case{"full", 0.52, 64}, Case{"full", 0.55, 72}, Case{"sign-exp-scale", 0.55, 64},
                 Case{"scale", 0.6, 32}}) {
    const auto cfg = config_for(c.layout, c.vdd, 77, c.word_bits);
    const auto r = inject_faults(q, cfg);
    const double d = static_cast<double>(r.report.footprint.data_bits);
    const double expected = analytic_silent_bit_rate(q, cfg) * d;
    char what[96];
    std::snprintf(what, sizeof what, "%s, %.2f V, %d-bit words", c.layout, c.vdd, c.word_bits);
    check_rate(what, static_cast<double>(r.report.total_data().silent_bit_errors), expected, 4.0);
    // Detected-uncorrectable words: every double error, the detected share of triples, (almost) every quadruple.
    const SecdedCode code(c.word_bits);
    const PatternStats triples = triple_error_stats(code);
    const double n = code.codeword_bits(), p = cfg.failure->bit_error_rate(c.vdd);
    auto binom = [&](double e) { return std::tgamma(n + 1) / std::tgamma(e + 1) / std::tgamma(n - e + 1) *
                                        std::pow(p, e) * std::pow(1 - p, n - e); };
    const double q_due = binom(2) + binom(3) * triples.detected / triples.patterns + binom(4);
    const double words = static_cast<double>(r.report.codewords);
    const double due_sigma = std::sqrt(words * q_due * (1 - q_due));
    INFO(what << ": " << r.report.due_words << " DUE words, expected " << words * q_due << " +- " << due_sigma);
    // 2% slack for the 5- and 6-error patterns left out of q_due.
    CHECK(std::abs(static_cast<double>(r.report.due_words) - words * q_due) <= 3.0 * due_sigma + 0.02 * words * q_due);
    if (std::string(c.layout) != "scale") CHECK(words * q_due > 50.0);  // `scale` at 0.60 V has ~1 DUE word
  }
}

TEST_CASE("without protection the silent rate is p(V)", "[inject][statistics]") {
  const auto q = ecc_test::random_nvfp4(256, 2048, 22);
  const auto cfg = config_for("none", 0.55, 5, 64);
  const auto r = inject_faults(q, cfg);
  const double d = static_cast<double>(r.report.footprint.data_bits);
  const double p = cfg.failure->bit_error_rate(0.55);
  CHECK(analytic_silent_bit_rate(q, cfg) == Approx(p));
  check_rate("none, 0.55 V", static_cast<double>(r.report.total_data().silent_bit_errors), p * d, 1.0);
  CHECK(r.report.total_data().silent_bit_errors == r.report.total_data().raw_bit_errors);
}
