// Scalar conversions against values derived by hand from NVFP4_SPEC.md sections 1-2 (the exhaustive comparison with
// the CUDA headers is formats_vs_cuda_test.cpp).
#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"

using namespace nvfp4;

namespace {
float next_up(float x) { return std::nextafter(x, INFINITY); }
float next_down(float x) { return std::nextafter(x, -INFINITY); }
uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
const float kNaN = std::numeric_limits<float>::quiet_NaN();
}  // namespace

TEST_CASE("e2m1 decodes the 16 codes of the spec table") {
  const float expect[16] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6, -0.0f, -0.5f, -1, -1.5f, -2, -3, -4, -6};
  for (int c = 0; c < 16; ++c) {
    CHECK(bits_of(e2m1_to_float(static_cast<uint8_t>(c))) == bits_of(expect[c]));
    CHECK(e2m1_to_half_units(static_cast<uint8_t>(c)) == static_cast<int>(expect[c] * 2));
    CHECK(e2m1_from_float(expect[c]) == c);  // every code round-trips, -0 included
  }
  CHECK(e2m1_to_float(0xF3) == 1.5f);  // only the low nibble counts
}

TEST_CASE("e2m1 round-to-nearest-even decision points (spec section 1)") {
  CHECK(e2m1_from_float(0.25f) == 0x0);
  CHECK(e2m1_from_float(next_up(0.25f)) == 0x1);
  CHECK(e2m1_from_float(0.75f) == 0x2);
  CHECK(e2m1_from_float(next_down(0.75f)) == 0x1);
  CHECK(e2m1_from_float(1.25f) == 0x2);
  CHECK(e2m1_from_float(next_up(1.25f)) == 0x3);
  CHECK(e2m1_from_float(1.75f) == 0x4);
  CHECK(e2m1_from_float(2.5f) == 0x4);
  CHECK(e2m1_from_float(next_up(2.5f)) == 0x5);
  CHECK(e2m1_from_float(3.5f) == 0x6);
  CHECK(e2m1_from_float(5.0f) == 0x6);
  CHECK(e2m1_from_float(next_up(5.0f)) == 0x7);
  CHECK(e2m1_from_float(-5.0f) == 0xE);
  CHECK(e2m1_from_double(5.0) == 0x6);
  CHECK(e2m1_from_double(std::nextafter(5.0, 6.0)) == 0x7);
  CHECK(e2m1_from_double(std::nextafter(0.25, 1.0)) == 0x1);
}

TEST_CASE("e2m1 saturation, NaN and signed zero") {
  CHECK(e2m1_from_float(1e30f) == 0x7);
  CHECK(e2m1_from_float(INFINITY) == 0x7);
  CHECK(e2m1_from_float(-INFINITY) == 0xF);
  CHECK(e2m1_from_float(kNaN) == 0x7);
  CHECK(e2m1_from_float(-kNaN) == 0x7);
  CHECK(e2m1_from_double(-std::numeric_limits<double>::quiet_NaN()) == 0x7);
  CHECK(e2m1_from_float(-0.0f) == 0x8);
  CHECK(e2m1_from_float(-0.1f) == 0x8);
  CHECK(e2m1_from_float(0.1f) == 0x0);
}

TEST_CASE("e2m1 round toward zero") {
  CHECK(e2m1_from_float(next_down(0.5f), Round::TowardZero) == 0x0);
  CHECK(e2m1_from_float(0.5f, Round::TowardZero) == 0x1);
  CHECK(e2m1_from_float(next_down(6.0f), Round::TowardZero) == 0x6);
  CHECK(e2m1_from_float(5.99f, Round::TowardZero) == 0x6);
  CHECK(e2m1_from_float(-2.9f, Round::TowardZero) == 0xC);
  CHECK(e2m1_from_float(100.0f, Round::TowardZero) == 0x7);
  CHECK(e2m1_from_float(kNaN, Round::TowardZero) == 0x7);
}

TEST_CASE("e4m3 satfinite RNE (spec section 2)") {
  CHECK(e4m3_from_float(448.0f) == 0x7E);
  CHECK(e4m3_from_float(464.0f) == 0x7E);  // tie between 448 and 480 (not representable): even -> 448
  CHECK(e4m3_from_float(next_up(464.0f)) == 0x7E);  // beyond: satfinite
  CHECK(e4m3_from_float(1e10f) == 0x7E);
  CHECK(e4m3_from_float(INFINITY) == 0x7E);
  CHECK(e4m3_from_float(-INFINITY) == 0xFE);
  CHECK(e4m3_from_float(kNaN) == 0x7F);
  CHECK(e4m3_from_float(-kNaN) == 0x7F);
  CHECK(e4m3_from_double(-std::numeric_limits<double>::quiet_NaN()) == 0xFF);
  CHECK(e4m3_from_float(std::ldexp(1.0f, -10)) == 0x00);        // <= 2^-10 -> 0
  CHECK(e4m3_from_float(next_up(std::ldexp(1.0f, -10))) == 0x01);
  CHECK(e4m3_from_float(1.5f * std::ldexp(1.0f, -9)) == 0x02);  // tie between codes 1 and 2 -> even
  CHECK(e4m3_from_float(2.5f * std::ldexp(1.0f, -9)) == 0x02);  // tie between 2 and 3 -> even
  CHECK(e4m3_from_float(1.0f) == 0x38);
  CHECK(e4m3_from_float(-1.0f) == 0xB8);
  CHECK(e4m3_from_float(-0.0f) == 0x80);
  CHECK(e4m3_from_float(std::ldexp(1.0f, -6)) == 0x08);  // min normal
  CHECK(e4m3_from_float(1.0625f) == 0x38);  // tie 1 vs 1.125 -> even (1)
  CHECK(e4m3_from_float(1.1875f) == 0x3A);  // tie 1.125 vs 1.25 -> even (1.25)
  for (int c = 0; c < 256; ++c) {
    if ((c & 0x7F) == 0x7F) {
      CHECK(std::isnan(e4m3_to_float(static_cast<uint8_t>(c))));
      continue;
    }
    CHECK(e4m3_from_float(e4m3_to_float(static_cast<uint8_t>(c))) == c);
  }
  CHECK(e4m3_to_float(0x01) == std::ldexp(1.0f, -9));
  CHECK(e4m3_to_float(0x7E) == 448.0f);
}

TEST_CASE("ue4m3 ignores the sign") {
  CHECK(ue4m3_from_float(-3.0f) == e4m3_from_float(3.0f));
  CHECK(ue4m3_to_float(0xB8) == 1.0f);
  CHECK(ue4m3_to_float(0x00) == 0.0f);
}

TEST_CASE("ue8m0 rz / rp satfinite (spec section 2)") {
  CHECK(ue8m0_from_float(1.0f, Round::TowardZero) == 127);
  CHECK(ue8m0_from_float(1.0f, Round::TowardPosInf) == 127);
  CHECK(ue8m0_from_float(1.5f, Round::TowardZero) == 127);
  CHECK(ue8m0_from_float(1.5f, Round::TowardPosInf) == 128);
  CHECK(ue8m0_from_float(next_down(1.0f), Round::TowardPosInf) == 127);
  CHECK(ue8m0_from_float(-4.0f, Round::TowardZero) == 129);
  CHECK(ue8m0_from_float(0.0f, Round::TowardZero) == 0x00);
  CHECK(ue8m0_from_float(0.0f, Round::TowardPosInf) == 0x00);
  CHECK(ue8m0_from_float(FLT_MAX, Round::TowardZero) == 0xFE);
  CHECK(ue8m0_from_float(FLT_MAX, Round::TowardPosInf) == 0xFE);  // 2^128 overflows -> satfinite
  CHECK(ue8m0_from_float(INFINITY, Round::TowardPosInf) == 0xFE);
  CHECK(ue8m0_from_float(kNaN, Round::TowardZero) == 0xFF);
  CHECK(ue8m0_from_float(std::ldexp(1.0f, -127), Round::TowardPosInf) == 0x00);
  CHECK(ue8m0_from_float(next_up(std::ldexp(1.0f, -127)), Round::TowardPosInf) == 0x01);
  CHECK(ue8m0_from_float(std::ldexp(1.0f, -130), Round::TowardZero) == 0x00);
  CHECK(ue8m0_to_float(127) == 1.0f);
  CHECK(ue8m0_to_float(0) == std::ldexp(1.0f, -127));
  CHECK(ue8m0_to_float(254) == std::ldexp(1.0f, 127));
  CHECK(std::isnan(ue8m0_to_float(255)));
  CHECK_THROWS_AS(ue8m0_from_float(1.0f, Round::NearestEven), Error);
  CHECK(ue8m0_from_double(1.0 + 1e-12, Round::TowardPosInf) == 128);  // the sticky bit survives the float step
  CHECK(ue8m0_from_double(1.0 + 1e-12, Round::TowardZero) == 127);
}

TEST_CASE("e5m2, bf16, fp16 round to nearest even with IEEE specials") {
  CHECK(e5m2_from_float(57344.0f) == 0x7B);
  CHECK(e5m2_from_float(61440.0f) == 0x7B);          // tie to Inf, satfinite
  CHECK(e5m2_from_float(61440.0f, false) == 0x7C);   // no saturation: Inf
  CHECK(e5m2_from_float(next_down(61440.0f), false) == 0x7B);
  CHECK(e5m2_from_float(-INFINITY, false) == 0xFC);
  CHECK(e5m2_from_float(kNaN) == 0x7F);
  CHECK(e5m2_from_float(1.0f) == 0x3C);
  CHECK(e5m2_to_float(0x3C) == 1.0f);
  CHECK(e5m2_to_float(0x01) == std::ldexp(1.0f, -16));
  CHECK(bf16_from_float(1.0f) == 0x3F80);
  CHECK(bf16_from_float(1.0f + std::ldexp(1.0f, -8)) == 0x3F80);  // tie -> even (down)
  CHECK(bf16_from_float(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3F82);  // tie -> even (up)
  CHECK(bf16_from_float(FLT_MAX) == 0x7F80);  // rounds to Inf
  CHECK(bf16_from_float(kNaN) == 0x7FFF);
  CHECK(bf16_to_float(0xBF80) == -1.0f);
  CHECK(fp16_from_float(65504.0f) == 0x7BFF);
  CHECK(fp16_from_float(65520.0f) == 0x7C00);  // tie to even -> Inf
  CHECK(fp16_from_float(next_down(65520.0f)) == 0x7BFF);
  CHECK(fp16_from_float(std::ldexp(1.0f, -24)) == 0x0001);
  CHECK(fp16_from_float(std::ldexp(1.0f, -25)) == 0x0000);  // tie -> even (0)
  CHECK(fp16_from_float(next_up(std::ldexp(1.0f, -25))) == 0x0001);
  CHECK(fp16_from_float(-0.0f) == 0x8000);
  CHECK(fp16_from_float(kNaN) == 0x7FFF);
  CHECK(fp16_from_double(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40)) == 0x3C01);  // no double rounding
  CHECK(bf16_from_double(1.0 + std::ldexp(1.0, -8) + std::ldexp(1.0, -40)) == 0x3F81);
  for (uint32_t h = 0; h < 0x10000; ++h) {
    const float f = fp16_to_float(static_cast<uint16_t>(h));
    if (std::isnan(f)) continue;
    REQUIRE(fp16_from_float(f) == h);
    REQUIRE(bf16_to_float(bf16_from_float(bf16_to_float(static_cast<uint16_t>(h)))) ==
            bf16_to_float(static_cast<uint16_t>(h)));
  }
}
