// The simulator's per-layer datapath counts (sim/run/simulation.cpp datapath_actions) equal the sum of lut::DotEngine's
// counters over the layer's dot products, on the tensors the simulator quantizes (its activation and weight specs),
// for several shapes (K not a multiple of the block), lanes, blocks, multiplier styles, weight formats, accumulators.
#include <catch2/catch.hpp>

#include <string>

#include "lut/engine.hpp"
#include "lut/multiplier_styles.hpp"
#include "numerics/quantize.hpp"
#include "sim/run/simulation.hpp"
#include "tests/lut/engine_fixtures.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

namespace {


void check_layer(const ArraySpec& arr, const GemmDims& d) {
  INFO("L=" << arr.lanes << " B=" << arr.block << " " << arr.multiplier << " " << to_string(arr.weight_format) << " "
            << arr.accumulator.name() << " M=" << d.M << " N=" << d.N << " K=" << d.K);
  SimConfig cfg;
  cfg.arch.array = arr;
  const auto a = quantize(lut::testing::realish_activations(d.M, d.K, 3).data(), d.M, d.K, cfg.activation_spec());
  const auto b = quantize(lut::testing::gaussian_weights(d.N, d.K, 4).data(), d.N, d.K, cfg.weight_spec());
  lut::DotEngine engine({arr.lanes, lut::weight_format_of(arr.weight_format), arr.multiplier, arr.accumulator});
  engine.gemm(a, b);  // every output's dot product, counted by the engine as it computes
  const lut::EngineActions& e = engine.actions();
  const ActionCounts c = datapath_actions(d, arr);
  CHECK(c.lane_multiplies == e.lane_multiplies);
  CHECK(c.adder_tree_adds == e.adder_tree_adds);
  CHECK(c.scale_unit_ops == e.scale_unit_ops);
  CHECK(c.accumulator_updates == e.accumulator_updates);
}

}  // namespace

TEST_CASE("datapath counts = lut::DotEngine's counters over the layer", "[sim][energy]") {
  const GemmDims shapes[] = {{3, 5, 37}, {2, 3, 64}, {1, 4, 200}, {4, 2, 7}, {2, 2, 48}};
  // Every multiplier style of lut/'s registry with every weight format it has hardware for.
  for (const std::string& mult : lut::multiplier_style_names())
    for (const lut::WeightFormatInfo& f : lut::weight_formats()) {
      const Scheme wf = f.scheme;
      if (!lut::parse_multiplier_style(mult).style->accepts(f.format)) continue;
      for (const char* acc : {"fp32-seq", "fixed:32:16"})
        for (int lanes : {4, 16, 64})
          for (int block : {16, 32})
            for (const GemmDims& d : shapes) {
              ArraySpec arr;
              arr.lanes = lanes;
              arr.block = block;
              arr.multiplier = mult;
              arr.weight_format = wf;
              arr.accumulator = AccumPolicy::parse(acc);
              check_layer(arr, d);
            }
    }
}
