// NVFP4 `te` quantizer: hand-derived vectors (NVFP4_SPEC.md section 3), layout, partial and 2-D blocks,
// the non-finite policy and dequantization.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/formats/e2m1_fast.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/row_kernels.hpp"
#include "numerics/quant/tensor_scan.hpp"
#include "numerics/quantize.hpp"

using namespace nvfp4;

namespace {
uint8_t nib(const QuantizedTensor& q, int64_t r, int64_t c) { return q.code(r, c); }

// Every E2M1 rn rounding threshold and its neighbours (both signs), then zeros, Inf, NaN (both signs), the smallest
// subnormal and FLT_MAX: the row kernels' first inputs.
std::vector<float> e2m1_threshold_inputs() {
  auto from_bits = [](uint32_t b) { float v; std::memcpy(&v, &b, sizeof v); return v; };
  std::vector<float> x;
  for (int32_t t : detail::kE2M1RnAbove) {
    for (int32_t d = -1; d <= 2; ++d) {
      for (uint32_t sign : {0u, 0x80000000u}) x.push_back(from_bits(static_cast<uint32_t>(t + d) | sign));
    }
  }
  for (uint32_t b : {0x0u, 0x80000000u, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00001u, 0x1u, 0x7F7FFFFFu})
    x.push_back(from_bits(b));
  return x;
}
}  // namespace

TEST_CASE("te: A = 2688 gives S_enc = S_dec = 1, so block scales are b/6 on the E4M3 grid") {
  // Row 0: block 0 has amax 6 -> sf = e4m3(6 * (1f/6f)) = e4m3(1.00000003) = 1.0 (0x38), r = 1: q = e2m1(x).
  //        block 1 has amax 3 -> sf = 0.5 (0x30), r = 2: q = e2m1(2x).
  // Row 1: amax 2688 -> sf = e4m3(448.00001) = 448 (0x7E).
  std::vector<float> x(2 * 32, 0.0f);
  const float b0[8] = {6, 5, 2.5f, 0.25f, -0.75f, 3.5f, 1.25f, -0.0f};
  const uint8_t q0[8] = {0x7, 0x6, 0x4, 0x0, 0xA, 0x6, 0x2, 0x8};  // ties to even: 5->4, 2.5->2, 0.25->0, 3.5->4
  const float b1[4] = {3, 1.5f, 0.125f, -0.2f};
  const uint8_t q1[4] = {0x7, 0x5, 0x0, 0x9};  // 2x: 6, 3, 0.25 (tie -> 0), -0.4 (-> -0.5)
  for (int i = 0; i < 8; ++i) x[i] = b0[i];
  for (int i = 0; i < 4; ++i) x[16 + i] = b1[i];
  x[32] = 2688.0f;
  x[33] = -1344.0f;
  const QuantizedTensor q = quantize(x.data(), 2, 32, QuantSpec{});
  CHECK(q.tensor_scale == 1.0f);
  REQUIRE(q.scales.size() == 4);
  CHECK(q.scales[0] == 0x38);
  CHECK(q.scales[1] == 0x30);
  CHECK(q.scales[2] == 0x7E);
  CHECK(q.scales[3] == 0x00);  // all-zero block: sf = 0, r = FLT_MAX, codes 0
  for (int i = 0; i < 8; ++i) CHECK(nib(q, 0, i) == q0[i]);
  for (int i = 0; i < 4; ++i) CHECK(nib(q, 0, 16 + i) == q1[i]);
  CHECK(nib(q, 1, 0) == 0x7);
  CHECK(nib(q, 1, 1) == 0xD);  // -1344 / 448 = -3
  for (int c = 2; c < 32; ++c) CHECK(nib(q, 1, c) == 0x0);
  // Dequantize: code * sf * S_dec.
  const std::vector<float> d = dequantize(q);
  CHECK(d[0] == 6.0f);
  CHECK(d[1] == 4.0f);
  CHECK(d[16] == 3.0f);
  CHECK(d[17] == 1.5f);
  CHECK(d[32] == 2688.0f);
  CHECK(d[33] == -1344.0f);
  CHECK(std::signbit(d[7]));
}

TEST_CASE("te: amax = 0 gives S_enc = 1 and all-zero codes, keeping -0's sign") {
  std::vector<float> x(16, 0.0f);
  x[3] = -0.0f;
  const QuantizedTensor q = quantize(x.data(), 1, 16, QuantSpec{});
  CHECK(q.tensor_scale == 1.0f);
  CHECK(q.scales[0] == 0x00);
  CHECK(q.code(0, 3) == 0x8);
  CHECK(q.code(0, 4) == 0x0);
}

TEST_CASE("te: partial final block, odd length, 2-D tiles") {
  std::vector<float> x(3 * 21);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 7) - 3.0f;
  QuantSpec s;
  const QuantizedTensor q = quantize(x.data(), 3, 21, s);
  CHECK(q.row_stride_bytes() == 11);
  CHECK(q.codes.size() == 33);
  CHECK(q.scales.size() == 6);
  CHECK((q.codes[10] & 0xF0) == 0);  // pad nibble
  const std::vector<float> d = dequantize(q);
  // amax 3 -> S_enc = 896, sf = e4m3(448) = 448, r = 1/(448 * fl(1/896)) ~= 2: codes are 2x on the grid; the
  // decoded values carry S_dec's rounding, so compare with code * sf * S_dec from the accessors.
  for (int64_t r = 0; r < 3; ++r)
    for (int64_t c = 0; c < 21; ++c) {
      CHECK(q.value(r, c) == 2.0f * x[static_cast<size_t>(r * 21 + c)]);
      CHECK(d[static_cast<size_t>(r * 21 + c)] == (q.value(r, c) * q.scale(r, c / 16)) * q.tensor_scale);
    }

  std::vector<float> y(32 * 32, 0.5f);
  y[17 * 32 + 3] = 4.0f;  // raises only the tile (1, 0)
  s.block_2d = true;
  const QuantizedTensor t = quantize(y.data(), 32, 32, s);
  REQUIRE(t.scales.size() == 4);
  CHECK(t.scales[0] == t.scales[1]);
  CHECK(t.scales[0] == t.scales[3]);
  CHECK(t.scales[2] != t.scales[0]);
  CHECK(t.scale_code(16, 0) == t.scales[2]);
  CHECK(t.scale_code(15, 0) == t.scales[0]);
}

TEST_CASE("non-finite input: refused with its position, or hardware rules on request") {
  std::vector<float> x(2 * 16, 1.0f);
  x[16 + 5] = std::numeric_limits<float>::quiet_NaN();
  x[16 + 9] = -INFINITY;
  QuantSpec s;
  CHECK_THROWS_WITH(quantize(x.data(), 2, 16, s), Catch::Contains("[1, 5]") && Catch::Contains("NaN"));
  s.follow_hardware_on_nonfinite = true;
  const QuantizedTensor q = quantize(x.data(), 2, 16, s);
  // A = Inf -> 2688/Inf = 0 -> S_enc = 1; block amax Inf -> sf = 448; Inf * r -> saturates; NaN -> 0x7.
  CHECK(q.tensor_scale == 1.0f);
  CHECK(q.scales[1] == 0x7E);
  CHECK(q.code(1, 5) == 0x7);
  CHECK(q.code(1, 9) == 0xF);
  CHECK(q.code(0, 0) == 0x7);  // row 0: sf = e4m3(1/6) = 0.171875, 1 * (1/0.171875) = 5.82 -> 6
}

TEST_CASE("bad shapes and mismatched dequantize are refused") {
  std::vector<float> x(4, 1.0f);
  CHECK_THROWS_AS(quantize(x.data(), 0, 4, QuantSpec{}), Error);
  CHECK_THROWS_AS(quantize(x.data(), 1, -4, QuantSpec{}), Error);
  QuantSpec bad;
  bad.block = 3;
  CHECK_THROWS_AS(make_quantizer(bad), Error);
  QuantizedTensor q = quantize(x.data(), 1, 4, QuantSpec{});
  q.codes.pop_back();
  CHECK_THROWS_AS(dequantize(q), Error);
}

TEST_CASE("every scheme refuses NaN/Inf by default and names the first one") {
  std::vector<float> x(3 * 40, 0.5f);
  x[2 * 40 + 7] = INFINITY;
  x[2 * 40 + 9] = std::numeric_limits<float>::quiet_NaN();
  for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16,
                   Scheme::INT4}) {
    INFO("scheme " << to_string(s));
    CHECK_THROWS_WITH(quantize(x.data(), 3, 40, QuantSpec::defaults_for(s)),
                      Catch::Contains("[2, 7]") && Catch::Contains("+Inf") && Catch::Contains("linear index 87"));
  }
}

TEST_CASE("hardware rules on request: saturation and NaN codes per scheme") {
  std::vector<float> x = {INFINITY, -INFINITY, std::numeric_limits<float>::quiet_NaN(), 1.0f};
  auto spec = [](Scheme s) {
    QuantSpec q = QuantSpec::defaults_for(s);
    q.follow_hardware_on_nonfinite = true;
    return q;
  };
  QuantizedTensor q = quantize(x.data(), 1, 4, spec(Scheme::FP4));
  CHECK(q.code(0, 0) == 0x7);
  CHECK(q.code(0, 1) == 0xF);
  CHECK(q.code(0, 2) == 0x7);
  CHECK(q.code(0, 3) == 0x2);
  q = quantize(x.data(), 1, 4, spec(Scheme::FP16));
  CHECK(q.code16(0, 0) == 0x7C00);
  CHECK(q.code16(0, 1) == 0xFC00);
  CHECK(q.code16(0, 2) == 0x7FFF);
  CHECK(q.code16(0, 3) == 0x3C00);
  // mxfp4 floor: the block amax ignores NaN and is Inf: exponent bits 255 -> e = 126 -> code 253; Inf / 2^126
  // saturates (7), NaN -> 0x7, 1 / 2^126 -> 0.
  q = quantize(x.data(), 1, 4, spec(Scheme::MXFP4));
  CHECK(q.scales[0] == 253);
  CHECK(q.code(0, 0) == 0x7);
  CHECK(q.code(0, 1) == 0xF);
  CHECK(q.code(0, 2) == 0x7);
  CHECK(q.code(0, 3) == 0x0);
}

TEST_CASE("rn row kernel (SIMD where the CPU has it) gives e2m1_rn_bits of every product, in element order") {
  // Every rounding threshold and its neighbours, zeros, Inf, NaN (both signs), subnormals and random bit patterns,
  // times per-element factors; lengths and offsets that leave SIMD steps and scalar tails.
  std::vector<float> x = e2m1_threshold_inputs(), f;
  uint32_t state = 12345;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  auto from_bits = [](uint32_t b) { float v; std::memcpy(&v, &b, sizeof v); return v; };
  while (x.size() < 4 * 32 + 7) x.push_back(from_bits(next()));
  for (size_t i = 0; i < x.size(); ++i) f.push_back(i % 5 == 4 ? from_bits(next() & 0x7FFFFFFFu) : 1.0f);
  std::vector<uint8_t> out(x.size()), seen(16, 0);
  for (int64_t off = 0; off < 4; ++off) {
    const int64_t n = static_cast<int64_t>(x.size()) - off;
    detail::e2m1_rn_row_mul(x.data() + off, f.data() + off, n, out.data());
    for (int64_t i = 0; i < n; ++i) {
      uint32_t b;
      const float p = x[off + i] * f[off + i];
      std::memcpy(&b, &p, sizeof b);
      INFO("offset " << off << ", element " << i);
      REQUIRE(out[i] == detail::e2m1_rn_bits(b));
      seen[out[i]] = 1;
    }
  }
  CHECK(std::count(seen.begin(), seen.end(), 1) == 16);  // every code occurs: not trivially equal
}

TEST_CASE("block amaxes (SIMD where the CPU has it) equal span_amax of every block, NaN ignored, Inf kept") {
  uint32_t state = 777;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  auto from_bits = [](uint32_t b) { float v; std::memcpy(&v, &b, sizeof v); return v; };
  std::vector<float> x(16 * 19 + 5);
  for (float& v : x) v = from_bits(next() & 0xBFFFFFFFu);  // random signs and magnitudes below 2, no NaN
  x[3] = from_bits(0x7FC00000u);      // NaN in block 0: ignored
  x[16 * 9 + 15] = -from_bits(0x7F800000u);  // -Inf in block 9: its amax
  x[16 * 12 + 7] = from_bits(0xFFC00001u);   // negative NaN
  x[16 * 17] = 1e30f;                         // the largest finite of block 17
  for (int64_t block : {16, 32}) {
    for (int64_t off = 0; off < 3; ++off) {
      const int64_t n = static_cast<int64_t>(x.size()) - off, blocks = (n + block - 1) / block;
      std::vector<float> got(static_cast<size_t>(blocks), -1.0f);
      detail::block_amaxes(x.data() + off, n, block, got.data());
      for (int64_t kb = 0; kb < blocks; ++kb) {
        const float want = detail::span_amax(x.data() + off + kb * block, std::min(block, n - kb * block));
        INFO("block " << block << ", offset " << off << ", block index " << kb);
        REQUIRE(std::memcmp(&got[kb], &want, sizeof want) == 0);
      }
    }
  }
  float b9 = 0.0f;
  detail::block_amaxes(x.data() + 16 * 9, 16, 16, &b9);
  CHECK(std::isinf(b9));  // not trivially equal: the -Inf block gives +Inf
}

TEST_CASE("packed block-factor kernel (AVX2): e2m1_rn_bits of x[i] * factor[i / 16], packed two per byte") {
  // Every rounding threshold and its neighbours (both signs), zeros, Inf, NaN and random bit patterns, one factor per
  // 16-element block (random, 1, 0, Inf); lengths that leave no step, whole steps and a tail.
  uint32_t state = 4242;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  auto from_bits = [](uint32_t b) { float v; std::memcpy(&v, &b, sizeof v); return v; };
  std::vector<float> x = e2m1_threshold_inputs();
  while (x.size() < 7 * 32 + 9) x.push_back(from_bits(next()));
  std::vector<float> f((x.size() + 15) / 16);
  for (size_t k = 0; k < f.size(); ++k) f[k] = k < 4 ? 1.0f : from_bits(next() & 0x7FFFFFFFu);  // thresholds: x 1
  f[5] = 0.0f;
  f[6] = std::numeric_limits<float>::infinity();
  std::vector<uint8_t> seen(16, 0);
  for (int64_t n : {int64_t{0}, int64_t{31}, int64_t{32}, int64_t{95}, static_cast<int64_t>(x.size())}) {
    std::vector<uint8_t> out(static_cast<size_t>(n / 2 + 1), 0xAA);
    const int64_t m = detail::e2m1_rn_blocks16_mul_packed(x.data(), f.data(), n, out.data());
    INFO("n " << n);
    REQUIRE(m == (__builtin_cpu_supports("avx2") ? n / 32 * 32 : 0));  // the kernel ran where it exists
    for (int64_t i = 0; i < m; ++i) {
      uint32_t b;
      const float p = x[i] * f[i / 16];
      std::memcpy(&b, &p, sizeof b);
      const uint8_t want = detail::e2m1_rn_bits(b), got = (out[i / 2] >> (i % 2 ? 4 : 0)) & 0xF;
      INFO("element " << i);
      REQUIRE(got == want);
      seen[got] = 1;
    }
    REQUIRE(out[m / 2] == 0xAA);  // nothing written past the m elements it reports
  }
  if (__builtin_cpu_supports("avx2")) CHECK(std::count(seen.begin(), seen.end(), 1) == 16);  // not trivially equal
}

TEST_CASE("te block scales of a row (AVX2 where the CPU has it) equal block_scale of every block, code and factor") {
  // Block amaxes around every E4M3 rounding boundary after the product b * k2 (the boundaries' neighbours at
  // S_enc = 1, where k2 = 1/6 and so b = 6 x boundary), zeros of both signs, subnormals, Inf, NaN and random
  // patterns; tensor amaxes giving S_enc = 1, large, small and FLT_MAX-clamped; lengths with a tail.
  uint32_t state = 99;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  auto from_bits = [](uint32_t b) { float v; std::memcpy(&v, &b, sizeof v); return v; };
  std::vector<float> b;
  for (int c = 0; c < 0x7F; ++c) {
    const float mid = 3.0f * (e4m3_to_float(static_cast<uint8_t>(c)) + e4m3_to_float(static_cast<uint8_t>(c + 1)));
    uint32_t m;
    std::memcpy(&m, &mid, sizeof m);
    for (int32_t d = -2; d <= 2; ++d) b.push_back(from_bits(static_cast<uint32_t>(static_cast<int32_t>(m) + d)));
  }
  for (uint32_t x : {0x0u, 0x80000000u, 0x1u, 0x7FFFFFu, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0xFFC00001u,
                     0x7F7FFFFFu, 0x43E00000u, 0x44E80000u})
    b.push_back(from_bits(x));
  while (b.size() % 8 != 5 || b.size() < 1000) b.push_back(from_bits(next()));
  const auto recipe = detail::make_nvfp4_te_recipe();
  std::vector<uint32_t> codes_seen(256, 0);
  for (float amax : {2688.0f, 1.0f, 3.0e38f, 1.0e-30f, 1.0e-45f, 0.0f}) {
    const detail::TensorConstants tc = recipe->tensor_constants(amax);
    std::vector<detail::BlockScale> got(b.size());
    recipe->block_scales(b.data(), static_cast<int64_t>(b.size()), tc, got.data());
    for (size_t i = 0; i < b.size(); ++i) {
      const detail::BlockScale want = recipe->block_scale(b[i], tc);
      uint32_t bits;
      std::memcpy(&bits, &b[i], sizeof bits);
      INFO("amax " << amax << ", block " << i << ", b bits " << std::hex << bits);
      REQUIRE(got[i].code == want.code);
      REQUIRE(std::memcmp(&got[i].factor, &want.factor, sizeof want.factor) == 0);
      codes_seen[want.code] = 1;
    }
  }
  CHECK(std::count(codes_seen.begin(), codes_seen.end(), 1u) >= 128);  // every magnitude code: not trivially equal
}
