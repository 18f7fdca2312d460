// QuantSpec names, defaults, validation, description and storage accounting.
#include <catch2/catch.hpp>

#include <cmath>

#include "numerics/error.hpp"
#include "numerics/quant_spec.hpp"

using namespace nvfp4;

TEST_CASE("names round-trip and unknown names list the accepted ones") {
  for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16,
                   Scheme::INT4})
    CHECK(parse_scheme(to_string(s)) == s);
  for (Recipe r : {Recipe::None, Recipe::TE, Recipe::TorchAO, Recipe::ModelOpt, Recipe::Cutlass, Recipe::Floor,
                   Recipe::RCeil})
    CHECK(parse_recipe(to_string(r)) == r);
  CHECK(parse_rounding("sr") == Rounding::SR);
  CHECK(to_string(Scheme::FP4Tensor) == "fp4-tensor");
  try {
    parse_recipe("TE");
    FAIL("no throw");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("unknown recipe 'TE'") != std::string::npos);
    CHECK(std::string(e.what()).find("modelopt") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_scheme("nvfp8"), Error);
  CHECK_THROWS_AS(parse_rounding("stochastic"), Error);
}

TEST_CASE("defaults per scheme") {
  CHECK(QuantSpec::defaults_for(Scheme::NVFP4).describe() == "nvfp4/te/B16/1d/rn");
  CHECK(QuantSpec::defaults_for(Scheme::MXFP4).describe() == "mxfp4/floor/B32/1d/rn");
  CHECK(QuantSpec::defaults_for(Scheme::INT4).describe() == "int4/B32/1d/rn");
  CHECK(QuantSpec::defaults_for(Scheme::FP8).describe() == "fp8/rn");
  for (Scheme s : {Scheme::NVFP4, Scheme::MXFP4, Scheme::FP4, Scheme::FP4Tensor, Scheme::FP8, Scheme::FP16,
                   Scheme::INT4})
    CHECK_NOTHROW(QuantSpec::defaults_for(s).validate());
  QuantSpec q;
  q.rounding = Rounding::SR;
  q.seed = 42;
  q.block_2d = true;
  CHECK(q.describe() == "nvfp4/te/B16/2d/sr/seed=42");
}

TEST_CASE("validate names the impossible field") {
  QuantSpec q = QuantSpec::defaults_for(Scheme::MXFP4);
  q.recipe = Recipe::TE;
  CHECK_THROWS_WITH(q.validate(), Catch::Contains("recipe 'te'") && Catch::Contains("mxfp4"));
  q = QuantSpec::defaults_for(Scheme::NVFP4);
  for (int b : {1, 2, 4, 8, 16, 32, 64, 128, 256}) {
    q.block = b;
    CHECK_NOTHROW(q.validate());
  }
  for (int b : {0, 3, 12, 512, -16}) {
    q.block = b;
    CHECK_THROWS_WITH(q.validate(), Catch::Contains("block"));
  }
  q.block = 32;
  q.block_2d = true;
  CHECK_THROWS_WITH(q.validate(), Catch::Contains("block_2d"));
  q = QuantSpec::defaults_for(Scheme::INT4);
  q.block = 64;
  CHECK_THROWS_WITH(q.validate(), Catch::Contains("int4"));
  q = QuantSpec::defaults_for(Scheme::FP16);
  q.rounding = Rounding::SR;
  CHECK_THROWS_WITH(q.validate(), Catch::Contains("fp16"));
  q = QuantSpec::defaults_for(Scheme::FP8);
  q.block_2d = true;
  CHECK_THROWS_AS(q.validate(), Error);
}

TEST_CASE("storage accounting: 4 + 8/B + 32/N") {
  QuantSpec q = QuantSpec::defaults_for(Scheme::NVFP4);
  // The published NVFP4 figure: 4.5 bits for B = 16 plus the per-tensor scale; N = 4096 elements -> 4.5078125.
  CHECK(bits_per_element(q, 1, 4096) == 4.5078125);
  CHECK(std::round(bits_per_element(q, 64, 64) * 1e4) / 1e4 == 4.5078);
  CHECK(bits_per_element(q, 4096, 4096) == 4.5 + 32.0 / (4096.0 * 4096.0));
  for (int b : {1, 2, 4, 8, 16, 32, 64, 128, 256}) {
    q.block = b;
    CHECK(bits_per_element(q, 256, 256) == 4.0 + 8.0 / b + 32.0 / 65536.0);
  }
  q.block = 16;
  q.block_2d = true;
  CHECK(bits_per_element(q, 256, 256) == 4.0 + 8.0 / 256 + 32.0 / 65536.0);
  q.block_2d = false;
  // Partial final block: 20 columns need 2 scales per row; odd length pads a nibble.
  CHECK(bits_per_element(q, 1, 20) == (20 * 4 + 2 * 8 + 32) / 20.0);
  CHECK(bits_per_element(q, 1, 3) == (16 + 8 + 32) / 3.0);  // 3 codes + pad nibble, 1 scale, tensor scale
  CHECK(bits_per_element(QuantSpec::defaults_for(Scheme::MXFP4), 32, 32) == 4.25);
  CHECK(bits_per_element(QuantSpec::defaults_for(Scheme::INT4), 32, 32) == 4.5);
  CHECK(bits_per_element(QuantSpec::defaults_for(Scheme::FP16), 32, 32) == 16.0);
  CHECK(bits_per_element(QuantSpec::defaults_for(Scheme::FP4), 32, 32) == 4.0);
  CHECK(bits_per_element(QuantSpec::defaults_for(Scheme::FP8), 2, 16) == 9.0);
  CHECK(code_bits(Scheme::FP8) == 8);
  CHECK(scale_bytes(Scheme::INT4) == 2);
  CHECK_FALSE(has_block_scale(Scheme::FP4Tensor));
  CHECK_THROWS_AS(bits_per_element(q, 0, 16), Error);
}

TEST_CASE("stored shape: code bytes per row and the block-scale grid (NVFP4_SPEC.md section 6)") {
  CHECK(code_row_bytes(Scheme::NVFP4, 33) == 17);  // 4-bit codes: a pad nibble ends an odd row
  CHECK(code_row_bytes(Scheme::INT4, 32) == 16);
  CHECK(code_row_bytes(Scheme::FP8, 33) == 33);
  CHECK(code_row_bytes(Scheme::FP16, 33) == 66);
  QuantSpec q = QuantSpec::defaults_for(Scheme::NVFP4);
  ScaleGrid g = scale_grid(q, 5, 33);  // 1-D: one row of scales per tensor row, a partial final block
  CHECK((g.rows == 5 && g.cols == 3));
  q.block_2d = true;
  g = scale_grid(q, 17, 33);  // 2-D: partial tiles on both edges
  CHECK((g.rows == 2 && g.cols == 3));
  CHECK(scale_grid_row(q, 15) == 0);
  CHECK(scale_grid_row(q, 16) == 1);
  q.block_2d = false;
  CHECK(scale_grid_row(q, 16) == 16);
  g = scale_grid(QuantSpec::defaults_for(Scheme::MXFP4), 4, 65);
  CHECK((g.rows == 4 && g.cols == 3));
  g = scale_grid(QuantSpec::defaults_for(Scheme::FP8), 4, 64);  // no block scale
  CHECK((g.rows == 0 && g.cols == 0));
}
