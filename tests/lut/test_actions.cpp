// DotEngine's running action counters equal the closed form lut::dot_actions (the one sim/ uses per layer) for every
// lane count, block size, K (partial blocks included), style, weight format and accumulator; and the closed form
// itself against hand-counted cases.
#include <catch2/catch.hpp>

#include <string>

#include "lut/actions.hpp"
#include "lut/engine.hpp"
#include "tests/lut/engine_fixtures.hpp"

using namespace nvfp4;
using namespace nvfp4::lut;

namespace {

QuantizedTensor weights_of(WeightFormat wf, int64_t rows, int64_t K, int block, uint32_t seed) {
  if (wf == WeightFormat::E2M1) return testing::random_nvfp4(rows, K, seed, 0, block);
  const Scheme s = wf == WeightFormat::E4M3 ? Scheme::FP8 : Scheme::FP16;
  return testing::quantized(testing::gaussian_weights(rows, K, seed), rows, K, s);
}

// The engine's counters after a whole M x N x K GEMM against M x N x dot_actions; names the case on failure.
void check_engine_counts(const EngineConfig& cfg, int block, int64_t M, int64_t N, int64_t K) {
  INFO("L=" << cfg.lanes << " B=" << block << " K=" << K << " " << cfg.style << " " << to_string(cfg.weight) << " "
            << cfg.accum.name());
  const auto a = testing::random_nvfp4(M, K, 21, 0, block);
  const auto b = weights_of(cfg.weight, N, K, block, 22);
  DotEngine e(cfg);
  e.gemm(a, b);
  const EngineActions& got = e.actions();
  const EngineActions one = dot_actions(cfg.lanes, block, K);
  const uint64_t outputs = static_cast<uint64_t>(M * N);
  CHECK(got.beats == outputs * one.beats);
  CHECK(got.lane_multiplies == outputs * one.lane_multiplies);
  CHECK(got.adder_tree_adds == outputs * one.adder_tree_adds);
  CHECK(got.scale_unit_ops == outputs * one.scale_unit_ops);
  CHECK(got.accumulator_updates == outputs * one.accumulator_updates);
  CHECK(got.table_lookups == got.lane_multiplies * static_cast<uint64_t>(e.multiplier().table_lookups_per_product()));
}

}  // namespace

TEST_CASE("dot_actions: hand-counted geometry") {
  // L = B = 16, K = 37: 3 beats of 15 tree adds, 3 blocks.
  CHECK(dot_actions(16, 16, 37) == EngineActions{3, 37, 0, 0, 45, 3, 3, 0});
  // L = 4, B = 16, K = 37: blocks of 4, 4 and 2 beats (the last zero padded to one whole beat, not to 16 lanes):
  // 10 beats x 3 adds + (3 + 3 + 1) partial-sum adds.
  CHECK(dot_actions(4, 16, 37) == EngineActions{10, 37, 0, 0, 37, 3, 3, 0});
  // L = 64, B = 16, K = 37: one beat, three 16-lane sub-trees used (the fourth idle).
  CHECK(dot_actions(64, 16, 37) == EngineActions{1, 37, 0, 0, 45, 3, 3, 0});
  // L = 1: no tree, every element after a block's first is a partial-sum add.
  CHECK(dot_actions(1, 16, 20) == EngineActions{20, 20, 0, 0, 18, 2, 2, 0});
}

TEST_CASE("engine counters = dot_actions: lanes x block x K (partial blocks)") {
  for (int lanes : {1, 2, 4, 8, 16, 32, 64})
    for (int block : {16, 32})
      for (int64_t K : {1, 5, 16, 37, 48, 64, 100, 200}) {
        EngineConfig cfg;
        cfg.lanes = lanes;
        check_engine_counts(cfg, block, 2, 3, K);
      }
}

TEST_CASE("engine counters = dot_actions: every style, weight format and accumulator") {
  const std::pair<WeightFormat, const char*> styles[] = {
      {WeightFormat::E2M1, "mantissa-lut"}, {WeightFormat::E2M1, "full-lut"}, {WeightFormat::E2M1, "array"},
      {WeightFormat::E2M1, "split-lut:2"},  {WeightFormat::E4M3, "mantissa-lut"}, {WeightFormat::E4M3, "full-lut"},
      {WeightFormat::E4M3, "array"},        {WeightFormat::FP16, "mantissa-lut"}, {WeightFormat::FP16, "split-lut:4"},
      {WeightFormat::FP16, "array"}};
  for (const auto& [wf, style] : styles)
    for (const char* policy : {"fp32-seq", "fixed:32:16"})
      for (int lanes : {4, 16, 64}) {
        const EngineConfig cfg{lanes, wf, style, AccumPolicy::parse(policy)};
        check_engine_counts(cfg, 16, 3, 2, 37);
      }
}
