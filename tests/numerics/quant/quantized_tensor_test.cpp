// QuantizedTensor accessors: nibble order, strides, scale indexing for 1-D and 2-D blocks, bounds checks.
#include <catch2/catch.hpp>

#include "numerics/error.hpp"
#include "numerics/quantized_tensor.hpp"

using namespace nvfp4;

TEST_CASE("4-bit codes: element 2i in the low nibble, rows start on a byte") {
  QuantizedTensor q;
  q.rows = 2;
  q.cols = 3;
  CHECK(q.row_stride_bytes() == 2);
  q.codes.assign(4, 0);
  q.set_code(0, 0, 0x1);
  q.set_code(0, 1, 0x2);
  q.set_code(0, 2, 0xF);
  q.set_code(1, 0, 0x9);
  CHECK(q.codes[0] == 0x21);
  CHECK(q.codes[1] == 0x0F);
  CHECK(q.codes[2] == 0x09);
  CHECK(q.code(0, 2) == 0xF);
  CHECK(q.value(0, 2) == -6.0f);
  CHECK(q.value(1, 0) == -0.5f);
  CHECK_THROWS_AS(q.code(2, 0), Error);
  CHECK_THROWS_AS(q.code(0, 3), Error);
}

TEST_CASE("scale indexing for 1-D and 2-D blocks") {
  QuantizedTensor q;
  q.rows = 20;
  q.cols = 40;  // 3 blocks per row (partial last block)
  CHECK(q.blocks_per_row() == 3);
  q.scales.assign(20 * 3, 0);
  q.scales[5 * 3 + 2] = 0x38;  // row 5, block 2 -> 1.0
  CHECK(q.scale_code(5, 2) == 0x38);
  CHECK(q.scale(5, 2) == 1.0f);
  CHECK_THROWS_AS(q.scale_code(5, 3), Error);
  q.spec.block_2d = true;
  q.scales.assign(2 * 3, 0);
  q.scales[1 * 3 + 1] = 0x40;  // tile row 1 (rows 16..19), tile col 1 -> 2.0
  CHECK(q.scale(17, 1) == 2.0f);
  CHECK(q.scale(15, 1) == 0.0f);
}

TEST_CASE("fp8, fp16 and int4 codes") {
  QuantizedTensor q;
  q.spec = QuantSpec::defaults_for(Scheme::FP16);
  q.rows = 1;
  q.cols = 2;
  CHECK(q.row_stride_bytes() == 4);
  q.codes = {0x00, 0x3C, 0x00, 0xC0};
  CHECK(q.code16(0, 0) == 0x3C00);
  CHECK(q.value(0, 1) == -2.0f);
  CHECK_THROWS_AS(q.code(0, 0), Error);
  q.spec = QuantSpec::defaults_for(Scheme::FP8);
  CHECK(q.row_stride_bytes() == 2);
  q.codes = {0x38, 0xFE};
  CHECK(q.value(0, 1) == -448.0f);
  CHECK(q.scale(0, 0) == 1.0f);
  q.spec = QuantSpec::defaults_for(Scheme::INT4);
  q.codes = {0x97};
  CHECK(q.value(0, 0) == 7.0f);
  CHECK(q.value(0, 1) == -7.0f);
  q.scales = {0x00, 0x3C};
  CHECK(q.scale_code(0, 0) == 0x3C00);
  CHECK(q.scale(0, 0) == 1.0f);
}
