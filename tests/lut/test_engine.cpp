// The dot-product engine model equals numerics::gemm bit for bit, for every accumulator policy, lane count, weight
// format and multiplier style, on quantized real-ish tensors and on raw random codes (NaN scales included).
#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "lut/engine.hpp"
#include "numerics/error.hpp"
#include "numerics/gemm.hpp"
#include "tests/lut/engine_fixtures.hpp"

using namespace nvfp4;
using namespace nvfp4::lut;

namespace {

// Fails naming the first differing element with both values; returns how many outputs were non-zero.
int64_t require_same_bits(const std::vector<float>& got, const std::vector<float>& want, const std::string& what) {
  REQUIRE(got.size() == want.size());
  int64_t nonzero = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const uint32_t g = std::bit_cast<uint32_t>(got[i]), w = std::bit_cast<uint32_t>(want[i]);
    if (g != w) FAIL(what << ": element " << i << " engine 0x" << std::hex << g << " (" << got[i] << ") golden 0x" << w
                          << " (" << want[i] << ")");
    nonzero += want[i] != 0.0f;
  }
  return nonzero;
}

void check(const QuantizedTensor& a, const QuantizedTensor& b, WeightFormat wf, const std::string& policy,
           int lanes, const std::string& style) {
  EngineConfig cfg;
  cfg.lanes = lanes;
  cfg.weight = wf;
  cfg.style = style;
  cfg.accum = AccumPolicy::parse(policy);
  DotEngine eng(cfg);
  const std::string what = std::string(to_string(wf)) + " " + policy + " L=" + std::to_string(lanes) + " " + style;
  const int64_t nonzero = require_same_bits(eng.gemm(a, b), gemm(a, b, cfg.accum), what);
  CHECK(nonzero > static_cast<int64_t>(a.rows * b.rows) / 2);  // not trivially zero
  CHECK(eng.actions().lane_multiplies == static_cast<uint64_t>(a.rows * b.rows * a.cols));
  const int64_t blk = has_block_scale(a.spec.scheme) ? a.spec.block : 16;
  CHECK(eng.actions().accumulator_updates == static_cast<uint64_t>(a.rows * b.rows * ((a.cols + blk - 1) / blk)));
}

// Narrow, wide and large-F accumulators: fixed:64:40 and fixed:62:40 saturate on the largest terms, which the engine
// must reproduce exactly (62 bits is the widest register of numerics' AVX-512 kernel, 64 takes the integer driver).
const char* kPolicies[] = {"fp32-seq",    "fixed:32",    "fixed:24:8",  "fixed:16:2",
                           "fixed:64:24", "fixed:48:20", "fixed:64:40", "fixed:62:40"};

}  // namespace

TEST_CASE("engine = golden GEMM: NVFP4 x NVFP4 on quantized real-ish tensors, all policies, lanes and styles") {
  const int64_t M = 6, N = 5, K = 200;  // K not a multiple of 16: a partial last block
  const auto a = testing::quantized(testing::realish_activations(M, K, 1), M, K, Scheme::NVFP4);
  const auto b = testing::quantized(testing::gaussian_weights(N, K, 2), N, K, Scheme::NVFP4);
  for (const char* p : kPolicies)
    for (int lanes : {1, 4, 8, 16, 32, 64})
      for (const char* style : {"mantissa-lut", "full-lut", "array"}) check(a, b, WeightFormat::E2M1, p, lanes, style);
}

TEST_CASE("engine = golden GEMM: raw random codes and scales, NaN scales, 2-D weight blocks, block 32") {
  const int64_t M = 7, N = 6, K = 256;
  const auto a = testing::random_nvfp4(M, K, 3, /*nan_per_mille=*/4);
  const auto b = testing::random_nvfp4(N, K, 4);
  for (const char* p : kPolicies) check(a, b, WeightFormat::E2M1, p, 16, "mantissa-lut");
  const auto w2d = testing::quantized(testing::gaussian_weights(32, K, 5), 32, K, Scheme::NVFP4, 16, true);
  check(a, w2d, WeightFormat::E2M1, "fp32-seq", 16, "mantissa-lut");
  const auto a32 = testing::quantized(testing::realish_activations(M, K, 6), M, K, Scheme::NVFP4, 32);
  const auto b32 = testing::quantized(testing::gaussian_weights(N, K, 7), N, K, Scheme::NVFP4, 32);
  for (const char* p : kPolicies) check(a32, b32, WeightFormat::E2M1, p, 8, "array");
}

TEST_CASE("engine = golden GEMM: NVFP4 activations x FP8 (E4M3) and FP16 weights") {
  const int64_t M = 5, N = 4, K = 160;
  const auto a = testing::quantized(testing::realish_activations(M, K, 8), M, K, Scheme::NVFP4);
  const auto w = testing::gaussian_weights(N, K, 9);
  const auto b8 = testing::quantized(w, N, K, Scheme::FP8);
  const auto b16 = testing::quantized(w, N, K, Scheme::FP16);
  for (const char* p : kPolicies) {
    for (const char* style : {"mantissa-lut", "full-lut", "array", "split-lut:2"}) check(a, b8, WeightFormat::E4M3, p, 16, style);
    for (const char* style : {"mantissa-lut", "array", "split-lut:2", "split-lut:3", "split-lut:4"})
      check(a, b16, WeightFormat::FP16, p, 16, style);
  }
}

TEST_CASE("engine = golden GEMM: FP8 NaN weights and FP16 Inf/NaN weights (special-value path)") {
  const int64_t M = 3, N = 4, K = 64;
  const auto a = testing::quantized(testing::realish_activations(M, K, 10), M, K, Scheme::NVFP4);
  auto w = testing::gaussian_weights(N, K, 11);
  auto b8 = testing::quantized(w, N, K, Scheme::FP8);
  auto b16 = testing::quantized(w, N, K, Scheme::FP16);
  b8.codes[3] = 0x7F;   // row 0: NaN weight
  b16.codes[2 * K + 2 * 17 + 1] = 0x7C;  // row 1, element 17: +Inf high byte
  b16.codes[2 * K + 2 * 17] = 0x00;
  b16.codes[3 * 2 * K + 1] = 0xFC;       // row 3, element 0: -Inf
  b16.codes[3 * 2 * K] = 0x00;
  for (const char* p : {"fp32-seq", "fixed:32"}) {
    EngineConfig c8{16, WeightFormat::E4M3, "mantissa-lut", AccumPolicy::parse(p)};
    DotEngine e8(c8);
    require_same_bits(e8.gemm(a, b8), gemm(a, b8, c8.accum), std::string("fp8 specials ") + p);
    EngineConfig c16{16, WeightFormat::FP16, "split-lut:4", AccumPolicy::parse(p)};
    DotEngine e16(c16);
    require_same_bits(e16.gemm(a, b16), gemm(a, b16, c16.accum), std::string("fp16 specials ") + p);
  }
}

TEST_CASE("action counters follow the lane/block geometry") {
  const auto a = testing::random_nvfp4(2, 64, 12);
  const auto b = testing::random_nvfp4(3, 64, 13);
  EngineConfig cfg;
  cfg.lanes = 8;  // B = 16: two beats per block
  DotEngine e(cfg);
  e.gemm(a, b);
  const EngineActions& s = e.actions();
  CHECK(s.beats == 6 * 4 * 2);
  CHECK(s.scale_unit_ops == 6 * 4);
  CHECK(s.adder_tree_adds == 6 * 4 * (2 * 7 + 1));
  CHECK(s.table_lookups == s.lane_multiplies);
  CHECK(s.zero_operand_multiplies > 0);
  CHECK(s.zero_operand_multiplies < s.lane_multiplies);
  e.reset_actions();
  CHECK(e.actions().beats == 0);
}

TEST_CASE("bad engine configurations are refused, naming the parameter") {
  EngineConfig cfg;
  cfg.lanes = 12;
  CHECK_THROWS_WITH(DotEngine(cfg), Catch::Contains("lanes"));
  cfg.lanes = 128;
  CHECK_THROWS_WITH(DotEngine(cfg), Catch::Contains("lanes"));
  cfg = {};
  cfg.accum = AccumPolicy::parse("blackwell-mma");
  CHECK_THROWS_WITH(DotEngine(cfg), Catch::Contains("blackwell-mma"));
  cfg = {};
  cfg.weight = WeightFormat::FP16;
  cfg.style = "full-lut";
  CHECK_THROWS_WITH(DotEngine(cfg), Catch::Contains("fp16"));
  // a weight tensor of another format than the engine's
  cfg = {};
  DotEngine e(cfg);
  const auto a = testing::random_nvfp4(2, 32, 14);
  const auto b8 = testing::quantized(testing::gaussian_weights(2, 32, 15), 2, 32, Scheme::FP8);
  CHECK_THROWS_WITH(e.gemm(a, b8), Catch::Contains("tensor b"));
  const auto mx = testing::quantized(testing::gaussian_weights(2, 32, 16), 2, 32, Scheme::MXFP4);
  CHECK_THROWS_WITH(e.gemm(a, mx), Catch::Contains("mxfp4"));
}
