// Small cases computed by hand (values in the comments), each chosen so that a plausible wrong implementation fails:
// a different summation order in fp32-seq, floor instead of trunc or 34/36 instead of 35 bits in blackwell-mma,
// truncation instead of floor or wrapping instead of saturation in fixed:W:F. Also the policy names.
#include <catch2/catch.hpp>
#include <cmath>

#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "tensor_builder.hpp"

using namespace nvfp4;
using namespace nvfp4::test;

namespace {

// UE4M3 codes of powers of two: 2^e = (e + 7) << 3 for normals; 2^-9 is the subnormal code 0x01.
constexpr uint8_t kScale1 = 0x38, kScale256 = 0x78, kScaleQuarter = 0x28, kScaleHalf = 0x30, kScale2m9 = 0x01;
// E2M1 codes
constexpr uint8_t kHalf = 0x1, kOne = 0x2, kFour = 0x6, kSix = 0x7, kNeg = 0x8;

float one_output(const QuantizedTensor& a, const QuantizedTensor& b, const char* policy) {
  const std::vector<float> d = gemm(a, b, AccumPolicy::parse(policy));
  REQUIRE(d.size() == 1);
  return d[0];
}

}  // namespace

TEST_CASE("fp32-seq adds the block terms in increasing k, rounding after each add", "[gemm][hand]") {
  // Terms: 2^24 (256 * 256 * 16 * (4 * 4) / 16 ... = 2^16 * 256), then 1, then 1.
  // In order: fp32(2^24 + 1) = 2^24 (tie to even), again 2^24. Reversed or pairwise: 2 + 2^24 = 2^24 + 2.
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 1, 48), b = make_tensor(Scheme::NVFP4, 1, 48);
  for (int c = 0; c < 16; ++c) {
    a.set_code(0, c, kFour);
    b.set_code(0, c, kFour);
  }
  a.set_code(0, 16, kOne);
  b.set_code(0, 16, kOne);
  a.set_code(0, 32, kOne);
  b.set_code(0, 32, kOne);
  a.scales = {kScale256, kScale1, kScale1};
  b.scales = {kScale256, kScale1, kScale1};
  CHECK(one_output(a, b, "fp32-seq") == 16777216.0f);
  // The tensor scales multiply once at the end: 2^24 * fp32(3 * 0.1) (not 2^24 * 3 * 0.1 in another order).
  a.tensor_scale = 3.0f;
  b.tensor_scale = 0.1f;
  CHECK(one_output(a, b, "fp32-seq") == 16777216.0f * (3.0f * 0.1f));
}

TEST_CASE("blackwell-mma aligns to the largest scale exponent and truncates to 35 fractional bits", "[gemm][hand]") {
  // One chunk of 64 = four groups. Groups 0 and 1: scales 256 x 256 (exponent 16 + 16... each 8, sum 16),
  // values +2^16 and -2^16 (they cancel). Groups 2 and 3: scales 2^-9 x 2^-9 (subnormal, exponent -6 each),
  // three products 0.5 * 0.5: value 3 * 2^-20 each.
  // Emax = 16; a small term becomes trunc(3 * 2^-20 * 2^(35-16)) = trunc(1.5) = 1, so C = 2 * 2^(16-35) = 2^-18.
  // (34 bits: 0; 36 bits: 6 * 2^-20; exact arithmetic or fp32-seq: 6 * 2^-20.)
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 1, 64), b = make_tensor(Scheme::NVFP4, 1, 64);
  a.set_code(0, 0, kOne);
  b.set_code(0, 0, kOne);
  a.set_code(0, 16, kOne);
  b.set_code(0, 16, kOne | kNeg);
  for (int g : {2, 3}) {
    for (int c = 0; c < 3; ++c) {
      a.set_code(0, 16 * g + c, kHalf);
      b.set_code(0, 16 * g + c, kHalf);
    }
  }
  a.scales = {kScale256, kScale256, kScale2m9, kScale2m9};
  b.scales = {kScale256, kScale256, kScale2m9, kScale2m9};
  CHECK(one_output(a, b, "blackwell-mma") == std::ldexp(1.0f, -18));
  CHECK(one_output(a, b, "fp32-seq") == 6 * std::ldexp(1.0f, -20));

  // Group 3 negated: trunc(-1.5) = -1 toward zero, so C = 0 (+0); floor would give -2^-19.
  for (int c = 0; c < 3; ++c) b.set_code(0, 48 + c, kHalf | kNeg);
  const float c0 = one_output(a, b, "blackwell-mma");
  CHECK(c0 == 0.0f);
  CHECK(!std::signbit(c0));

  // A group whose block sum is zero still takes part in the alignment (MMA-Sim uses the scale exponents):
  // with groups 0 and 1 all zero but their scales kept, the answer is still 2 * 2^-19... i.e. truncated.
  for (int c = 0; c < 3; ++c) b.set_code(0, 48 + c, kHalf);
  a.set_code(0, 0, 0);
  a.set_code(0, 16, 0);
  CHECK(one_output(a, b, "blackwell-mma") == std::ldexp(1.0f, -18));
}

TEST_CASE("blackwell-mma chains 64-element chunks through an fp32 accumulator rounded toward zero", "[gemm][hand]") {
  // Chunk 0 leaves C = 1 + 2^-23 + ... : value 1 + 3 * 2^-24 is not an fp32; RZ gives 1 + 2^-23 (RNE: 1 + 2^-22).
  // Group 0: 1 (scale 1, 1 * 1); group 1: 3 * 2^-24: scale 2^-9 * 2^-9 = 2^-18 times 0.5*0.5*3/... use
  // 12 products 0.5 * 0.5 = 3, times 2^-18 = 3 * 2^-18... scaled down further with 2^-6 a-scale: too many knobs, so
  // the test compares with a direct computation instead: C1 = RZ(1 + small), then chunk 1 adds 1.
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 1, 128), b = make_tensor(Scheme::NVFP4, 1, 128);
  a.set_code(0, 0, kOne);
  b.set_code(0, 0, kOne);
  for (int c = 0; c < 3; ++c) {
    a.set_code(0, 16 + c, kHalf);
    b.set_code(0, 16 + c, kHalf);
  }
  a.set_code(0, 64, kOne);
  b.set_code(0, 64, kOne);
  a.scales = {kScale1, kScale2m9, kScale1, kScale1, kScale1, kScale1, kScale1, kScale1};
  b.scales = {kScale1, 0x08 /* 2^-6 */, kScale1, kScale1, kScale1, kScale1, kScale1, kScale1};
  // Chunk 0: 1 + 0.75 * 2^-9 * 2^-6 = 1 + 3 * 2^-17: exact in fp32 (23 fraction bits): C = 1 + 3 * 2^-17.
  // Chunk 1: C + 1 = 2 + 3 * 2^-17, fp32 grid 2^-22 at [2, 4): exact as well.
  CHECK(one_output(a, b, "blackwell-mma") == 2.0f + 3 * std::ldexp(1.0f, -17));
  // Now make chunk 0 inexact: 1 + 3 * 2^-26 (scale 2^-9 * 2^-9, 0.75 * 2^-18 = 3 * 2^-20 ... times 2^-6 below).
  b.scales[1] = kScale2m9;
  // value 1 + 3 * 2^-20 = fits (2^-20 > 2^-23): C = 1 + 3 * 2^-20; chunk 1: 2 + 3 * 2^-20, grid 2^-22: exact.
  CHECK(one_output(a, b, "blackwell-mma") == 2.0f + 3 * std::ldexp(1.0f, -20));
  // Put the large term at 2^8 (scales 16 x 16 = 2^8): C = 256 + 3 * 2^-20 -> RZ on grid 2^-15 -> 256 (RNE: 256 too);
  // chunk 1: 256 + 1 = 257. fp32-seq gives the same 257 here; the truncation case is covered above.
  a.scales[0] = 0x58;  // 16
  b.scales[0] = 0x58;
  CHECK(one_output(a, b, "blackwell-mma") == 257.0f);
}

TEST_CASE("fixed:W:F floors each term and saturates", "[gemm][hand]") {
  // Term -2^-5 (0.5 * -0.5 * 0.25 * 0.5): floor(-2^-5 * 2^4) = floor(-0.5) = -1, so D = -1/16 (truncation: 0).
  QuantizedTensor a = make_tensor(Scheme::NVFP4, 1, 16), b = make_tensor(Scheme::NVFP4, 1, 16);
  a.set_code(0, 0, kHalf);
  b.set_code(0, 0, kHalf | kNeg);
  a.scales = {kScaleQuarter};
  b.scales = {kScaleHalf};
  CHECK(one_output(a, b, "fixed:16:4") == -0.0625f);
  CHECK(one_output(a, b, "fixed:16:5") == -0.03125f);
  CHECK(one_output(a, b, "fixed:16:3") == -0.125f);

  // fixed:8:0: terms +100, +100, -100 -> 100, 127 (saturated), 27. Wrapping would give -56 then -156 -> 100.
  // Block sum 100 = 6*6 + 6*6 + 4*6 + 4*1.
  QuantizedTensor c = make_tensor(Scheme::NVFP4, 1, 48), e = make_tensor(Scheme::NVFP4, 1, 48);
  for (int blk = 0; blk < 3; ++blk) {
    const uint8_t sign = blk == 2 ? kNeg : 0;
    c.set_code(0, 16 * blk + 0, kSix);
    e.set_code(0, 16 * blk + 0, kSix | sign);
    c.set_code(0, 16 * blk + 1, kSix);
    e.set_code(0, 16 * blk + 1, kSix | sign);
    c.set_code(0, 16 * blk + 2, kFour);
    e.set_code(0, 16 * blk + 2, kSix | sign);
    c.set_code(0, 16 * blk + 3, kFour);
    e.set_code(0, 16 * blk + 3, kOne | sign);
  }
  c.scales = {kScale1, kScale1, kScale1};
  e.scales = {kScale1, kScale1, kScale1};
  CHECK(one_output(c, e, "fp32-seq") == 100.0f);
  CHECK(one_output(c, e, "fixed:8:0") == 27.0f);
  CHECK(one_output(c, e, "fixed:9:0") == 100.0f);  // 200 fits in 9 bits: no saturation
  CHECK(one_output(c, e, "fixed:8:1") == -36.5f);  // half units: 200 -> 127 (63.5), 127, 127 - 200 = -73 (-36.5)
}

TEST_CASE("policy names parse and round-trip; bad names are refused with the text", "[gemm][policy]") {
  CHECK(AccumPolicy::parse("fp32-seq").kind == AccumPolicy::Kind::Fp32Seq);
  CHECK(AccumPolicy::parse("blackwell-mma").kind == AccumPolicy::Kind::BlackwellMma);
  const AccumPolicy f = AccumPolicy::parse("fixed:24");
  CHECK(f.kind == AccumPolicy::Kind::Fixed);
  CHECK(f.width == 24);
  CHECK(f.frac == 12);
  CHECK(AccumPolicy::parse("fixed:32:0").frac == 0);
  for (const char* name : {"fp32-seq", "blackwell-mma", "fixed:24:12", "fixed:64:63", "fixed:8:0"}) {
    CHECK(AccumPolicy::parse(name).name() == name);
    CHECK(AccumPolicy::parse(AccumPolicy::parse(name).name()).name() == name);
  }
  for (const char* bad : {"", "fp32", "FP32-SEQ", "fixed", "fixed:", "fixed:7", "fixed:65", "fixed:16:16",
                          "fixed:16:-1", "fixed:+16", "fixed:16:4:2", "fixed:16x", "fixed: 16"}) {
    INFO(bad);
    try {
      AccumPolicy::parse(bad);
      FAIL("accepted " << bad);
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find("'" + std::string(bad) + "'") != std::string::npos);
    }
  }
}
