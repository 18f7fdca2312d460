// The SQNR estimated on a systematic sample of output rows (run.float_reference_rows) against the exact SQNR over
// every row of the same small layer: within 4 standard errors, the standard error small and non-zero, and exact
// (same bits, zero error) when the sample covers every row.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "numerics/gemm.hpp"
#include "numerics/quantize.hpp"
#include "sim/run/float_reference.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

TEST_CASE("sampled SQNR: bounded error against the full reference", "[sim][sqnr]") {
  const int64_t M = 512, N = 96, K = 256;
  std::mt19937 rng(5);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> a(static_cast<size_t>(M * K)), b(static_cast<size_t>(N * K));
  for (float& v : a) v = normal(rng);
  for (float& v : b) v = 0.02f * normal(rng);
  const QuantSpec spec = QuantSpec::defaults_for(Scheme::NVFP4);
  const std::vector<float> out = gemm(quantize(a.data(), M, K, spec), quantize(b.data(), N, K, spec), AccumPolicy{});
  const std::vector<float> full_ref = float_gemm(a, b, M, N, K);
  const Sqnr exact = sqnr(full_ref, out);
  REQUIRE(std::isfinite(exact.db));
  CHECK(exact.db > 10);  // a quantized GEMM, not trivially equal outputs

  for (int64_t sample : {int64_t{0}, M, M + 7}) {  // every row: the exact figure, bit for bit
    const std::vector<int64_t> rows = reference_rows(M, sample);
    REQUIRE(rows.size() == static_cast<size_t>(M));
    const Sqnr s = sqnr_rows(float_gemm_rows(a, b, rows, N, K), out, rows, M, N);
    CHECK(s.db == exact.db);
    CHECK(s.se_db == 0);
    CHECK_FALSE(s.sampled());
  }
  for (int64_t sample : {int64_t{16}, int64_t{64}, int64_t{128}}) {
    const std::vector<int64_t> rows = reference_rows(M, sample);
    REQUIRE(rows.size() == static_cast<size_t>(sample));
    for (size_t j = 0; j < rows.size(); ++j) {
      REQUIRE(rows[j] >= 0);
      REQUIRE(rows[j] < M);
      if (j) REQUIRE(rows[j] > rows[j - 1]);
    }
    const Sqnr s = sqnr_rows(float_gemm_rows(a, b, rows, N, K), out, rows, M, N);
    INFO("sample " << sample << ": estimate " << s.db << " dB, exact " << exact.db << " dB, se " << s.se_db);
    CHECK(s.sampled());
    CHECK(s.rows == sample);
    CHECK(s.se_db > 0);
    CHECK(s.se_db < 0.5);
    CHECK(std::fabs(s.db - exact.db) <= 4 * s.se_db);
  }
}
