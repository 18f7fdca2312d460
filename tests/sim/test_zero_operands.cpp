// The zero-operand product count (sim/run/zero_operands.hpp) against a brute-force count over QuantizedTensor::value,
// on tensors with many zeros (and both signed zeros), odd widths and every code width.
#include <catch2/catch.hpp>

#include <random>

#include "numerics/quantize.hpp"
#include "sim/run/zero_operands.hpp"

using namespace nvfp4;

namespace {

uint64_t brute_force(const QuantizedTensor& a, const QuantizedTensor& b) {
  uint64_t n = 0;
  for (int64_t m = 0; m < a.rows; ++m)
    for (int64_t j = 0; j < b.rows; ++j)
      for (int64_t k = 0; k < a.cols; ++k) n += a.value(m, k) == 0.0f || b.value(j, k) == 0.0f;
  return n;
}

QuantizedTensor sparse_tensor(Scheme s, int64_t rows, int64_t cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::bernoulli_distribution zero(0.3);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (float& v : x) v = zero(rng) ? (rng() & 1 ? 0.0f : -0.0f) : normal(rng);
  return quantize(x.data(), rows, cols, QuantSpec::defaults_for(s));
}

}  // namespace

TEST_CASE("zero codes per column: every code width, many rows (8-bit counters flushed), odd widths", "[sim][energy]") {
  for (Scheme s : {Scheme::NVFP4, Scheme::FP8, Scheme::FP16, Scheme::INT4}) {
    for (int64_t cols : {int64_t{7}, int64_t{97}, int64_t{128}}) {
      const QuantizedTensor t = sparse_tensor(s, 1200, cols, 3);
      std::vector<uint64_t> expect(static_cast<size_t>(cols));
      for (int64_t r = 0; r < t.rows; ++r)
        for (int64_t k = 0; k < cols; ++k) expect[static_cast<size_t>(k)] += t.value(r, k) == 0.0f;
      CHECK(expect[0] > 255);  // the 8-bit counters must have been flushed to count this
      CHECK(sim::zero_codes_per_column(t) == expect);
    }
  }
}

TEST_CASE("zero-operand products: table count equals the brute-force count", "[sim][energy]") {
  for (Scheme wb : {Scheme::NVFP4, Scheme::FP8, Scheme::FP16, Scheme::INT4, Scheme::MXFP4}) {
    for (int64_t k : {int64_t{33}, int64_t{64}}) {
      const QuantizedTensor a = sparse_tensor(Scheme::NVFP4, 7, k, 1);
      const QuantizedTensor b = sparse_tensor(wb, 5, k, 2);
      const uint64_t expect = brute_force(a, b);
      CHECK(expect > 0);
      CHECK(expect < uint64_t(7 * 5 * k));
      CHECK(sim::zero_operand_products(a, b) == expect);
    }
  }
}
