// Stochastic rounding (NVFP4_SPEC.md section 3): the rule reproduced independently here, determinism per seed,
// seed sensitivity, and unbiasedness within a stated statistical bound.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "numerics/formats.hpp"
#include "numerics/philox.hpp"
#include "numerics/quantize.hpp"

using namespace nvfp4;

namespace {

// The spec's rule written out directly from the text, for E2M1 without scaling: neighbours lo <= |v| < hi on the grid,
// f = (|v| - lo) / (hi - lo), away from zero iff (u >> 8) < f * 2^24; |v| >= 6 saturates; the sign is kept.
uint8_t reference_sr_e2m1(float v, uint32_t u) {
  static const float grid[8] = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6};
  const float a = std::fabs(v);
  int k = 7;
  if (a < 6.0f) {
    k = 0;
    while (!(grid[k] <= a && a < grid[k + 1])) ++k;
    const double f = (static_cast<double>(a) - grid[k]) / (grid[k + 1] - grid[k]);
    if (static_cast<double>(u >> 8) < f * 16777216.0) ++k;
  }
  return static_cast<uint8_t>(k | (std::signbit(v) ? 8 : 0));
}

QuantSpec sr_spec(Scheme s, uint64_t seed) {
  QuantSpec q = QuantSpec::defaults_for(s);
  q.rounding = Rounding::SR;
  q.seed = seed;
  return q;
}

std::vector<float> random_inputs(size_t n, float scale, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> x(n);
  for (auto& v : x) v = d(rng);
  return x;
}

}  // namespace

TEST_CASE("fp4 sr equals the spec rule with u = word 0 of Philox(counter = linear index, key = seed)") {
  const int64_t rows = 37, cols = 53;  // odd sizes: pad nibbles and a linear index across rows
  const std::vector<float> x = random_inputs(static_cast<size_t>(rows * cols), 2.5f, 7);
  const uint64_t seed = 0x9E3779B97F4A7C15ull;
  const QuantizedTensor q = quantize(x.data(), rows, cols, sr_spec(Scheme::FP4, seed));
  int rounded_up_somewhere = 0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const float v = x[static_cast<size_t>(r * cols + c)];
      const uint8_t want = reference_sr_e2m1(v, sr_random_word(seed, static_cast<uint64_t>(r * cols + c)));
      INFO("element [" << r << ", " << c << "] = " << v);
      REQUIRE(q.code(r, c) == want);
      rounded_up_somewhere += (want & 7) != (e2m1_from_float(v, Round::TowardZero) & 7);
    }
  CHECK(rounded_up_somewhere > 100);
}

TEST_CASE("nvfp4 te sr: the scaled value is rounded by the same rule (S_enc = 1 setup)") {
  // A = 2688 -> S_enc = 1; second block amax 6 -> sf = 1, r = 1: v = x exactly.
  std::vector<float> x(32);
  x[0] = 2688.0f;
  for (int i = 16; i < 32; ++i) x[static_cast<size_t>(i)] = -6.0f + 0.37f * static_cast<float>(i - 16);
  x[16] = 6.0f;
  const QuantizedTensor q = quantize(x.data(), 1, 32, sr_spec(Scheme::NVFP4, 5));
  REQUIRE(q.scales[1] == 0x38);
  for (int c = 16; c < 32; ++c)
    CHECK(q.code(0, c) == reference_sr_e2m1(x[static_cast<size_t>(c)], sr_random_word(5, static_cast<uint64_t>(c))));
}

TEST_CASE("sr: same seed gives the same bits, different seeds differ, rn is unaffected by the seed") {
  const std::vector<float> x = random_inputs(64 * 64, 1.0f, 3);
  for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::INT4}) {
    INFO("scheme " << to_string(s));
    const QuantizedTensor a = quantize(x.data(), 64, 64, sr_spec(s, 11));
    const QuantizedTensor b = quantize(x.data(), 64, 64, sr_spec(s, 11));
    const QuantizedTensor c = quantize(x.data(), 64, 64, sr_spec(s, 12));
    CHECK(a.codes == b.codes);
    CHECK(a.scales == b.scales);
    CHECK(a.codes != c.codes);
    CHECK(a.scales == c.scales);  // SR touches elements only; scales come from the amaxes
    size_t differing = 0;
    for (size_t i = 0; i < a.codes.size(); ++i) differing += a.codes[i] != c.codes[i];
    CHECK(differing > a.codes.size() / 10);
    QuantSpec rn = sr_spec(s, 11);
    rn.rounding = Rounding::RN;
    QuantSpec rn2 = rn;
    rn2.seed = 12;
    CHECK(quantize(x.data(), 64, 64, rn).codes == quantize(x.data(), 64, 64, rn2).codes);
  }
}

TEST_CASE("sr is unbiased: the round-up frequency matches f within 5 sigma") {
  // One row of N copies of v: each element draws its own word (counter = index), so the number of round-ups is
  // Binomial(N, p) with p = ceil(f * 2^24) / 2^24 = f exactly here (f * 2^24 is an integer for these v).
  // Bound: |k/N - f| <= 5 sqrt(f (1 - f) / N); a biased rule (e.g. round-to-nearest, or u compared the wrong way)
  // is off by far more than that at N = 2^20.
  const int64_t n = int64_t{1} << 20;
  for (float v : {1.3f, 0.1f, 4.7f, -2.2f, 5.99f, 0.26f}) {
    std::vector<float> x(static_cast<size_t>(n), v);
    const QuantizedTensor q = quantize(x.data(), 1, n, sr_spec(Scheme::FP4, 2024));
    const float a = std::fabs(v);
    const uint8_t lo = e2m1_from_float(a, Round::TowardZero);
    const double lo_v = e2m1_to_float(lo), hi_v = e2m1_to_float(static_cast<uint8_t>(lo + 1));
    const double f = (a - lo_v) / (hi_v - lo_v);
    int64_t ups = 0, not_a_neighbour = 0;
    double err_sum = 0.0;
    for (int64_t c = 0; c < n; ++c) {
      const uint8_t code = q.code(0, c);
      not_a_neighbour += (code & 7) != lo && (code & 7) != lo + 1;
      ups += (code & 7) == lo + 1;
      err_sum += static_cast<double>(e2m1_to_float(code)) - static_cast<double>(v);
    }
    const double p_hat = static_cast<double>(ups) / static_cast<double>(n);
    const double sigma = std::sqrt(f * (1.0 - f) / static_cast<double>(n));
    INFO("v = " << v << ": f = " << f << ", observed " << p_hat << ", 5 sigma = " << 5 * sigma);
    CHECK(not_a_neighbour == 0);
    CHECK(std::fabs(p_hat - f) <= 5.0 * sigma);
    // The same statement for the mean rounding error, in value units.
    CHECK(std::fabs(err_sum / static_cast<double>(n)) <= 5.0 * sigma * (hi_v - lo_v));
  }
}

TEST_CASE("nvfp4 sr: mean dequantization error over a random tensor is zero within 5 sigma") {
  const int64_t rows = 256, cols = 1024;
  const std::vector<float> x = random_inputs(static_cast<size_t>(rows * cols), 1.0f, 99);
  const QuantizedTensor q = quantize(x.data(), rows, cols, sr_spec(Scheme::NVFP4, 77));
  const std::vector<float> d = dequantize(q);
  // Per element: error = (q - v) * s with v = x * r the scaled value and s = sf * S_dec ~= 1/r; its variance is
  // s^2 (hi - lo)^2 f (1 - f). Sum the errors and the variances.
  double err = 0.0, var = 0.0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      const size_t i = static_cast<size_t>(r * cols + c);
      err += static_cast<double>(d[i]) - static_cast<double>(x[i]);
      const double s = static_cast<double>(q.scale(r, c / 16)) * q.tensor_scale;
      const double a = std::fabs(static_cast<double>(x[i])) / s;
      if (a >= 6.0) continue;
      const uint8_t lo = e2m1_from_double(a, Round::TowardZero);
      const double lo_v = e2m1_to_float(lo), hi_v = e2m1_to_float(static_cast<uint8_t>(lo + 1));
      const double f = (a - lo_v) / (hi_v - lo_v);
      var += s * s * (hi_v - lo_v) * (hi_v - lo_v) * f * (1.0 - f);
    }
  INFO("sum of errors " << err << ", 5 sigma " << 5.0 * std::sqrt(var));
  CHECK(var > 0.0);
  CHECK(std::fabs(err) <= 5.0 * std::sqrt(var));
  // Round-to-nearest on the same tensor is deterministic and not what sr produced.
  QuantSpec rn = QuantSpec::defaults_for(Scheme::NVFP4);
  CHECK(quantize(x.data(), rows, cols, rn).codes != q.codes);
}

TEST_CASE("int4 and fp8 sr follow the rule on their own grids") {
  // int4, B = 16, every block has amax 7 -> s = fp16(7/7) = 1, so v = x; grid = integers, saturation at 7.
  std::vector<float> x(64);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> d(-7.0f, 7.0f);
  for (size_t i = 0; i < x.size(); ++i) x[i] = (i % 16 == 0) ? 7.0f : d(rng);
  QuantizedTensor q = quantize(x.data(), 1, 64, sr_spec(Scheme::INT4, 9));
  for (int c = 0; c < 64; ++c) {
    const float v = x[static_cast<size_t>(c)];
    const double a = std::fabs(static_cast<double>(v)), lo = std::floor(a);
    const uint32_t u = sr_random_word(9, static_cast<uint64_t>(c));
    int k = static_cast<int>(lo) + (static_cast<double>(u >> 8) < (a - lo) * 16777216.0 ? 1 : 0);
    k = k > 7 ? 7 : k;
    const int want = (v < 0 ? -k : k) & 0xF;
    INFO("int4 element " << c << " = " << v);
    CHECK(q.code(0, c) == want);
  }
  // fp8: A = 448 -> s = 1, v = x; neighbours are consecutive E4M3 codes.
  std::vector<float> y = {448.0f, 1.03f, -0.3f, 100.1f, 0.0013f, -250.0f, 3.3e-3f, 7.77f};
  q = quantize(y.data(), 1, 8, sr_spec(Scheme::FP8, 10));
  for (int c = 0; c < 8; ++c) {
    const float v = y[static_cast<size_t>(c)];
    const float a = std::fabs(v);
    uint8_t lo = 0;
    while (lo < 0x7E && e4m3_to_float(static_cast<uint8_t>(lo + 1)) <= a) ++lo;
    const double lo_v = e4m3_to_float(lo), hi_v = lo < 0x7E ? e4m3_to_float(static_cast<uint8_t>(lo + 1)) : lo_v;
    const uint32_t u = sr_random_word(10, static_cast<uint64_t>(c));
    const bool up = lo < 0x7E && static_cast<double>(u >> 8) < (a - lo_v) / (hi_v - lo_v) * 16777216.0;
    const uint8_t want = static_cast<uint8_t>((lo + up) | (v < 0 ? 0x80 : 0));
    INFO("fp8 element " << c << " = " << v);
    CHECK(q.code(0, c) == want);
  }
}
