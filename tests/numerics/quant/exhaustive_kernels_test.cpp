// The quantizer's SIMD kernels against their scalar definitions on every fp32 input: 2^32 elements, 2^31 block
// amaxes. The unit tests (quantize_nvfp4_test.cpp) cover the rounding boundaries; this covers everything else.
// `slow` (about 90 s of one core); the kernels are the AVX2 ones where the CPU has AVX2, else the baseline clones.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

#include "numerics/formats/e2m1_fast.hpp"
#include "numerics/quant/block_scaled.hpp"
#include "numerics/quant/row_kernels.hpp"

using namespace nvfp4;

namespace {

constexpr uint64_t kAll = uint64_t{1} << 32;
constexpr uint32_t kChunk = 1u << 20;  // inputs per kernel call: 2^32 / 2^20 = 4096 calls

// Bit patterns [start, start + kChunk) as floats.
void fill_chunk(uint64_t start, std::vector<float>& x) {
  for (uint32_t i = 0; i < kChunk; ++i) {
    const uint32_t b = static_cast<uint32_t>(start + i);
    std::memcpy(&x[i], &b, sizeof b);
  }
}

}  // namespace

TEST_CASE("rn row kernel equals e2m1_rn_bits on every fp32 bit pattern (factor 1)", "[slow]") {
  std::vector<float> x(kChunk), ones(kChunk, 1.0f);
  std::vector<uint8_t> out(kChunk);
  std::vector<uint64_t> per_code(16, 0);
  for (uint64_t start = 0; start < kAll; start += kChunk) {
    fill_chunk(start, x);
    detail::e2m1_rn_row_mul(x.data(), ones.data(), kChunk, out.data());
    for (uint32_t i = 0; i < kChunk; ++i) {
      const uint32_t b = static_cast<uint32_t>(start + i);
      if (out[i] != detail::e2m1_rn_bits(b)) {
        FAIL("first difference at x bits 0x" << std::hex << b << ": kernel code 0x" << int{out[i]} << ", e2m1_rn_bits 0x"
                                             << int{detail::e2m1_rn_bits(b)});
      }
      ++per_code[out[i]];
    }
  }
  for (int c = 0; c < 16; ++c) CHECK(per_code[c] > 0);  // every code occurs: not trivially equal
}

// Block amaxes are magnitudes (span_amax: |x|, NaN ignored), so the 2^31 patterns with the sign bit clear are every
// input the kernel gets (positive NaNs included).
TEST_CASE("te block scales equal block_scale on every non-negative fp32 block amax, code and factor bits", "[slow]") {
  const auto recipe = detail::make_nvfp4_te_recipe();
  std::vector<float> b(kChunk);
  std::vector<detail::BlockScale> got(kChunk);
  // 2688 = 448 x 6 gives S_enc = 1 (the grid itself); 1.0 scales every product by 2688 (saturation reached early).
  for (float tensor_amax : {2688.0f, 1.0f}) {
    const detail::TensorConstants tc = recipe->tensor_constants(tensor_amax);
    std::vector<uint64_t> per_code(256, 0);
    for (uint64_t start = 0; start < kAll / 2; start += kChunk) {
      fill_chunk(start, b);
      recipe->block_scales(b.data(), kChunk, tc, got.data());
      for (uint32_t i = 0; i < kChunk; ++i) {
        const detail::BlockScale want = recipe->block_scale(b[i], tc);
        if (got[i].code != want.code || std::memcmp(&got[i].factor, &want.factor, sizeof want.factor) != 0) {
          FAIL("tensor amax " << tensor_amax << ": first difference at block amax bits 0x" << std::hex
                              << static_cast<uint32_t>(start + i) << ": kernel (code 0x" << got[i].code
                              << ", factor " << got[i].factor << "), block_scale (code 0x" << want.code
                              << ", factor " << want.factor << ")");
        }
        ++per_code[want.code];
      }
    }
    int codes = 0;
    for (uint64_t n : per_code) codes += n > 0;
    INFO("tensor amax " << tensor_amax);
    CHECK(codes >= 128);  // every magnitude code at least: not trivially equal
  }
}
