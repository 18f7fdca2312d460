// Statistical proof of the injector: the silent bit error rate after SECDED matches the analytic value of the layout
// within its confidence interval, and without protection the silent rate is p(V).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>

#include "ecc/fault_injector.hpp"
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
