// Row-chunked quantization (Quantizer::scan_rows / begin / encode_rows): the same bits as quantize() of the whole
// tensor for every scheme and recipe, 1-D and 2-D blocks, rn and sr, and chunk sizes that split blocks' rows.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/quantize.hpp"
#include "numerics/workload.hpp"

using namespace nvfp4;

namespace {

QuantizedTensor by_chunks(const Quantizer& qz, const std::vector<float>& x, int64_t rows, int64_t cols, int64_t chunk) {
  float amax = 0.0f;
  for (int64_t r0 = 0; r0 < rows; r0 += chunk)
    amax = std::max(amax, qz.scan_rows(x.data() + r0 * cols, r0, std::min(chunk, rows - r0), cols));
  QuantizedTensor q = qz.begin(rows, cols, amax);
  for (int64_t r0 = 0; r0 < rows; r0 += chunk)
    qz.encode_rows(x.data() + r0 * cols, r0, std::min(chunk, rows - r0), amax, q);
  return q;
}

uint32_t bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

}  // namespace

TEST_CASE("row chunks give quantize()'s bits for every scheme, block shape and rounding") {
  const int64_t rows = 53, cols = 40;  // partial last blocks in both directions, 3 full 16-row bands + 5 rows
  std::vector<float> x(static_cast<size_t>(rows * cols));
  workload::Generator g;
  REQUIRE(workload::parse_generator("laplace(0,3)", &g));
  workload::generate(g, 7, x.data(), x.size());
  int compared = 0;
  for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16,
                   Scheme::INT4}) {
    std::vector<QuantSpec> specs;
    if (s == Scheme::NVFP4) {
      for (Recipe r : {Recipe::TE, Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass}) {
        QuantSpec one = QuantSpec::defaults_for(s), two = one;
        one.recipe = two.recipe = r;
        two.block_2d = true;
        specs.push_back(one);
        specs.push_back(two);
      }
    } else {
      specs.push_back(QuantSpec::defaults_for(s));
    }
    for (QuantSpec spec : specs) {
      for (Rounding rounding : {Rounding::RN, Rounding::SR}) {
        if (s == Scheme::FP16 && rounding == Rounding::SR) continue;  // not defined for fp16
        spec.rounding = rounding;
        spec.seed = 11;
        INFO(spec.describe());
        const auto qz = make_quantizer(spec);
        const QuantizedTensor whole = qz->quantize(x.data(), rows, cols);
        REQUIRE(std::any_of(whole.codes.begin(), whole.codes.end(), [](uint8_t c) { return c != 0; }));
        for (int64_t chunk : {16, 32, 7, 1}) {
          if (spec.block_2d && chunk % 16 != 0) continue;
          INFO("chunk " << chunk);
          const QuantizedTensor q = by_chunks(*qz, x, rows, cols, chunk);
          CHECK(bits(q.tensor_scale) == bits(whole.tensor_scale));
          CHECK(q.codes == whole.codes);
          CHECK(q.scales == whole.scales);
          ++compared;
        }
      }
    }
  }
  CHECK(compared == 2 * (4 * (4 + 2) + 6 * 4) - 4);
}

TEST_CASE("row chunks: bad chunks, a different amax, and non-finite input named by its row in the tensor") {
  std::vector<float> x(64 * 32, 0.5f);
  QuantSpec two;
  two.block_2d = true;
  const auto qz = make_quantizer(two);
  QuantizedTensor q = qz->begin(64, 32, 0.5f);
  CHECK_THROWS_WITH(qz->encode_rows(x.data(), 8, 16, 0.5f, q), Catch::Contains("16-row bands"));
  CHECK_THROWS_WITH(qz->encode_rows(x.data(), 48, 32, 0.5f, q), Catch::Contains("outside the tensor"));
  CHECK_THROWS_WITH(qz->encode_rows(x.data(), 0, 16, 2.0f, q), Catch::Contains("other than begin()'s"));
  x[3 * 32 + 5] = std::numeric_limits<float>::quiet_NaN();
  CHECK_THROWS_WITH(qz->scan_rows(x.data(), 16, 16, 32), Catch::Contains("[19, 5]") && Catch::Contains("NaN"));
}
