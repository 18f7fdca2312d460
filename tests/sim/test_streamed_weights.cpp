// Weights quantized from their generator stream in row chunks (sim/run/streamed_weights.hpp): the same codes, scales
// and float reference bits as the whole-tensor path, over three chunks (the last one partial), 1-D and 2-D scales.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

#include "numerics/quantize.hpp"
#include "sim/run/float_reference.hpp"
#include "sim/run/streamed_weights.hpp"

using namespace nvfp4;
using namespace nvfp4::sim;

TEST_CASE("streamed weights: same bits as the whole tensor, reference included", "[sim][streamed]") {
  workload::Layer l;
  l.name = "head";
  l.M = 37, l.N = 2 * kStreamedChunkRows + 52, l.K = 48;
  const uint64_t seed = 3;
  const std::vector<float> a = workload::make_operand(l, 4, 0, "normal(0,1)", "normal(0,0.05)", ".", seed);
  const std::vector<float> b = workload::make_operand(l, 4, 1, "normal(0,1)", "normal(0,0.05)", ".", seed);
  const std::vector<int64_t> rows = reference_rows(l.M, 5);
  const std::vector<float> ref = float_gemm_rows(a, b, rows, l.N, l.K);
  const std::vector<float> picked = pick_rows(a, rows, l.K);
  for (bool two_d : {false, true}) {
    INFO("2-D scales " << two_d);
    QuantSpec spec;
    spec.block_2d = two_d;
    const QuantizedTensor whole = quantize(b.data(), l.N, l.K, spec);
    std::vector<float> streamed_ref;
    const QuantizedTensor q = quantize_streamed(
        *workload::operand_stream(l, 4, 1, "normal(0,1)", "normal(0,0.05)", seed), l.N, l.K, spec, &picked,
        &streamed_ref);
    CHECK(std::memcmp(&q.tensor_scale, &whole.tensor_scale, 4) == 0);
    CHECK(q.codes == whole.codes);
    CHECK(q.scales == whole.scales);
    REQUIRE(streamed_ref.size() == ref.size());
    CHECK(std::memcmp(streamed_ref.data(), ref.data(), ref.size() * 4) == 0);
    CHECK(std::any_of(ref.begin(), ref.end(), [](float v) { return v != 0.0f; }));
  }
}

TEST_CASE("streamed weights: only generated weights above the size limit", "[sim][streamed]") {
  SimConfig c;
  workload::Layer head;
  head.name = "lm_head";
  head.M = 1, head.N = 128256, head.K = 2048;  // 1 GiB of floats
  CHECK(streams_weights(head, c));
  workload::Layer mlp = head;
  mlp.N = 8192;  // 64 MiB
  CHECK_FALSE(streams_weights(mlp, c));
  head.weights = "head.npy";  // read from a file: held whole
  CHECK_FALSE(streams_weights(head, c));
}
