// The cuBLAS 128x4 tiled scale layout, checked against positions worked out by hand from torchao's `to_blocked`
// (view(n_row_blocks, 128, n_col_blocks, 4).permute(0, 2, 1, 3).reshape(-1, 4, 32, 4).transpose(1, 2)): inside a
// tile, row r = 32a + b and column c land at b*16 + a*4 + c.
#include <catch2/catch.hpp>

#include <vector>

#include "numerics/error.hpp"
#include "numerics/quant/scale_layout.hpp"
#include "numerics/quantize.hpp"

using namespace nvfp4;

TEST_CASE("128x4 tiles: hand-computed positions, padding and round trip") {
  const int64_t rows = 130, cols = 5;  // 2 x 2 tiles after padding to 256 x 8
  std::vector<uint8_t> s(static_cast<size_t>(rows * cols));
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(1 + i % 251);
  const std::vector<uint8_t> t = scales_to_128x4_tiles(s, rows, cols);
  REQUIRE(t.size() == 256 * 8);
  auto at = [&](int64_t r, int64_t c) { return s[static_cast<size_t>(r * cols + c)]; };
  CHECK(t[0] == at(0, 0));
  CHECK(t[3] == at(0, 3));
  CHECK(t[4] == at(32, 0));         // a = 1, b = 0
  CHECK(t[16] == at(1, 0));         // a = 0, b = 1
  CHECK(t[31 * 16 + 3 * 4 + 2] == at(127, 2));
  CHECK(t[512] == at(0, 4));        // second tile of the first tile row: columns 4..7
  CHECK(t[512 + 1] == 0);           // column 5 is padding
  CHECK(t[1024] == at(128, 0));     // first tile of the second tile row
  CHECK(t[1024 + 16 + 2] == at(129, 2));
  CHECK(t[1024 + 2 * 16] == 0);     // row 130 is padding
  CHECK(scales_from_128x4_tiles(t, rows, cols) == s);
  CHECK_THROWS_AS(scales_from_128x4_tiles(std::vector<uint8_t>(10), rows, cols), Error);
  CHECK_THROWS_AS(scales_to_128x4_tiles(s, rows, cols + 1), Error);
}

TEST_CASE("cublas_tiled_scales takes a quantized tensor's 1-D one-byte scales") {
  std::vector<float> x(4 * 64, 1.0f);
  const QuantizedTensor q = quantize(x.data(), 4, 64, QuantSpec{});
  const std::vector<uint8_t> t = cublas_tiled_scales(q);
  CHECK(t.size() == 128 * 4);
  CHECK(t[16 + 3] == q.scale_code(1, 3));
  QuantSpec two_d;
  two_d.block_2d = true;
  CHECK_THROWS_AS(cublas_tiled_scales(quantize(x.data(), 4, 64, two_d)), Error);
  CHECK_THROWS_AS(cublas_tiled_scales(quantize(x.data(), 4, 64, QuantSpec::defaults_for(Scheme::INT4))), Error);
}
