// Every lane multiplier style gives the exact product of the decoded values: exhaustive for E2M1 x E2M1,
// E2M1 x E4M3 and E2M1 x FP16 (all 2^16 weights x 16 activations).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "lut/multiplier.hpp"
#include "lut/multiplier_styles.hpp"
#include "numerics/error.hpp"
#include "numerics/formats.hpp"

using namespace nvfp4::lut;

namespace {

double decoded_weight(WeightFormat w, uint32_t c) {
  switch (w) {
    case WeightFormat::E2M1: return nvfp4::e2m1_to_float(uint8_t(c));
    case WeightFormat::E4M3: return nvfp4::e4m3_to_float(uint8_t(c));
    case WeightFormat::FP16: return nvfp4::fp16_to_float(uint16_t(c));
  }
  return 0;
}

// Every style of the registry that has hardware for `w` (lut/multiplier_styles.hpp).
std::vector<std::string> styles_for(WeightFormat w) {
  std::vector<std::string> s;
  for (const std::string& name : multiplier_style_names())
    if (parse_multiplier_style(name).style->accepts(w)) s.push_back(name);
  REQUIRE(s.size() >= 5);  // guards against an empty registry passing trivially
  return s;
}

void check_exhaustive(WeightFormat w) {
  const uint32_t ncodes = 1u << format_info(w).code_bits;
  const int frac = product_frac_bits(w);
  for (const std::string& style : styles_for(w)) {
    const auto mul = make_multiplier(style, w);
    REQUIRE(mul->style() == style);
    uint64_t checked = 0, nonzero = 0;
    for (uint32_t a = 0; a < 16; ++a)
      for (uint32_t c = 0; c < ncodes; ++c) {
        const LaneProduct p = mul->multiply(uint8_t(a), uint16_t(c));
        const double wv = decoded_weight(w, c);
        if (!std::isfinite(wv)) {
          if (!p.special) FAIL(style << ": weight code " << c << " is not finite but the lane flagged no special");
          continue;
        }
        const double want = double(nvfp4::e2m1_to_float(uint8_t(a))) * wv;  // exact in double (<= 15 bits)
        const double got = std::ldexp(double(p.fixed), -frac);
        if (p.special || got != want)
          FAIL(style << " " << to_string(w) << ": a=0x" << std::hex << a << " w=0x" << c << std::dec << " got " << got
                     << " want " << want);
        ++checked;
        nonzero += want != 0.0;
      }
    CHECK(checked > ncodes * 15);
    CHECK(nonzero > checked / 2);  // guard against an all-zero multiplier
  }
}

}  // namespace

TEST_CASE("lane E2M1 x E2M1 is exact for all pairs, every style") { check_exhaustive(WeightFormat::E2M1); }
TEST_CASE("lane E2M1 x E4M3 is exact for all pairs, every style") { check_exhaustive(WeightFormat::E4M3); }
TEST_CASE("lane E2M1 x FP16 is exact for all 2^16 weights x 16 activations, every style") {
  check_exhaustive(WeightFormat::FP16);
}

TEST_CASE("unknown or impossible multiplier styles are refused, naming the parameter") {
  CHECK_THROWS_WITH(make_multiplier("booth", WeightFormat::E2M1), Catch::Contains("multiplier style"));
  CHECK_THROWS_WITH(make_multiplier("full-lut", WeightFormat::FP16), Catch::Contains("fp16"));
  CHECK_THROWS_WITH(make_multiplier("split-lut:5", WeightFormat::FP16), Catch::Contains("slice width"));
  CHECK_THROWS_AS(make_multiplier("split-lut:", WeightFormat::FP16), nvfp4::Error);
}
