// Protection layouts: parsing, footprint and overhead, stream order, gather/scatter round trip.
#include <catch2/catch.hpp>

#include <bit>

#include "ecc/protection_layout.hpp"
#include "numerics/error.hpp"
#include "tensor_fixtures.hpp"

using nvfp4::Scheme;
using nvfp4::ecc::ProtectionLayout;
using nvfp4::ecc::Region;
using nvfp4::ecc::footprint_of_bits;
using nvfp4::ecc::fp32_word_mask;

TEST_CASE("named layouts select the documented bits", "[layout]") {
  const auto none = ProtectionLayout::parse("none", Scheme::NVFP4);
  CHECK(none.code_mask == 0);
  CHECK(none.scale_mask == 0);
  CHECK(!none.tensor_scale);
  const auto scale = ProtectionLayout::parse("scale", Scheme::NVFP4);
  CHECK(scale.code_mask == 0);
  CHECK(scale.scale_mask == 0xFF);
  CHECK(scale.tensor_scale);
  const auto sep = ProtectionLayout::parse("sign-exp-scale", Scheme::NVFP4);
  CHECK(sep.code_mask == 0xE);  // E2M1 s e1 e0 m: the mantissa (bit 0) stays unprotected
  CHECK(sep.scale_mask == 0xFF);
  const auto full = ProtectionLayout::parse("full", Scheme::NVFP4);
  CHECK(full.code_mask == 0xF);
  CHECK(ProtectionLayout::parse("sign-exp-scale", Scheme::FP8).code_mask == 0xF8);
  CHECK(ProtectionLayout::parse("full", Scheme::FP16).code_mask == 0xFFFF);
  const auto custom = ProtectionLayout::parse("custom:code=0x8,scale=0x78,tensor=0", Scheme::NVFP4);
  CHECK(custom.code_mask == 0x8);
  CHECK(custom.scale_mask == 0x78);
  CHECK(!custom.tensor_scale);
  CHECK(custom.name == "custom:code=0x8,scale=0x78,tensor=0");
}

TEST_CASE("bad layouts are refused with a message naming the problem", "[layout]") {
  CHECK_THROWS_WITH(ProtectionLayout::parse("sign-exp", Scheme::NVFP4), Catch::Contains("unknown protection layout"));
  CHECK_THROWS_WITH(ProtectionLayout::parse("custom:code=0x1F,scale=0xFF,tensor=1", Scheme::NVFP4),
                    Catch::Contains("beyond the 4-bit"));
  CHECK_THROWS_WITH(ProtectionLayout::parse("custom:code=0x1,scale=0x1,tensor=1", Scheme::FP4),
                    Catch::Contains("scale mask"));
  CHECK_THROWS_WITH(ProtectionLayout::parse("custom:code=0xZ,scale=0xFF,tensor=1", Scheme::NVFP4),
                    Catch::Contains("hex mask"));
  CHECK_THROWS_WITH(ProtectionLayout::parse("custom:code=0x1,scale=0xFF", Scheme::NVFP4), Catch::Contains("need all"));
  CHECK_THROWS_AS(ProtectionLayout::parse("custom:code=0x1,code=0x1,scale=0,tensor=1", Scheme::NVFP4), nvfp4::Error);
}

TEST_CASE("footprint and storage overhead", "[layout]") {
  const auto q = ecc_test::random_nvfp4(16, 64, 1);  // 1024 elements, 64 blocks
  const auto full = ProtectionLayout::parse("full", Scheme::NVFP4);
  const auto f = footprint(q, full, 64, true);
  CHECK(f.data_bits == 1024 * 4 + 64 * 8 + 32);
  CHECK(f.protected_bits == f.data_bits);
  CHECK(f.protected_words == (f.data_bits + 63) / 64);
  CHECK(f.check_bits == f.protected_words * 8);
  CHECK(f.unprotected_bits == 0);
  // 4640 data bits in 73 words of 64: 32 padding bits, 584 check bits.
  CHECK(f.overhead() == Approx((584.0 + 32.0) / 4640.0));
  // One NVFP4 block per 72-bit word: 64 blocks + the tensor scale padded into its own word.
  const auto f72 = footprint(q, full, 72, true);
  CHECK(f72.protected_words == 65);
  CHECK(f72.check_bits == 65 * 8);
  const auto sep = footprint(q, ProtectionLayout::parse("sign-exp-scale", Scheme::NVFP4), 64, true);
  CHECK(sep.protected_bits == 1024 * 3 + 64 * 8 + 32);
  CHECK(sep.unprotected_bits == 1024);
  const auto none = footprint(q, ProtectionLayout::parse("none", Scheme::NVFP4), 64, true);
  CHECK(none.check_bits == 0);
  CHECK_THROWS_WITH(footprint(q, full, 3, true), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(footprint(q, full, 200, true), Catch::Contains("out of range"));
}

TEST_CASE("fractions, fp32 words and footprints of plain bit counts", "[layout]") {
  const auto sep = ProtectionLayout::parse("sign-exp-scale", Scheme::NVFP4);
  CHECK(sep.code_fraction(Scheme::NVFP4) == 0.75);
  CHECK(sep.scale_fraction(Scheme::NVFP4) == 1.0);
  CHECK(ProtectionLayout::parse("sign-exp-scale", Scheme::FP8).code_fraction(Scheme::FP8) == 5.0 / 8.0);
  CHECK(ProtectionLayout::parse("full", Scheme::FP8).scale_fraction(Scheme::FP8) == 0.0);  // no block scales
  CHECK(ProtectionLayout::parse("custom:code=0x1,scale=0x3,tensor=0", Scheme::NVFP4).scale_fraction(Scheme::NVFP4) ==
        0.25);
  CHECK(fp32_word_mask("none") == 0u);
  CHECK(fp32_word_mask("scale") == 0u);
  CHECK(fp32_word_mask("sign-exp-scale") == 0xFF800000u);
  CHECK(fp32_word_mask("full") == 0xFFFFFFFFu);
  CHECK_THROWS_WITH(fp32_word_mask("custom:code=0x1,scale=0x1,tensor=1"), Catch::Contains("fp32 words"));
  // The tensor footprint is footprint_of_bits of its data and protected bits.
  const auto q = ecc_test::random_nvfp4(16, 64, 3);
  const auto a = footprint(q, sep, 64, true);
  const auto b = footprint_of_bits(a.data_bits, a.protected_bits, 64, true);
  CHECK(a.check_bits == b.check_bits);
  CHECK(a.padding_bits == b.padding_bits);
  const auto bank = footprint_of_bits(8192, 6144, 64, true);  // 3/4 of a 1 KiB bank
  CHECK(bank.protected_words == 96);
  CHECK(bank.check_bits == 96 * 8);
  CHECK(footprint_of_bits(8192, 6144, 64, false).check_bits == 0);
}

TEST_CASE("stream order: each block's codes, then its scale; the tensor scale last", "[layout]") {
  auto q = ecc_test::random_nvfp4(2, 32, 2);
  const auto full = ProtectionLayout::parse("full", Scheme::NVFP4);
  const auto bits = gather(q, full, Region::Protected);
  REQUIRE(bits.bits == 4 * (16 * 4 + 8) + 32);
  for (int64_t blk = 0; blk < 4; ++blk) {
    const int64_t r = blk / 2, j = blk % 2, base = blk * 72;
    for (int e = 0; e < 16; ++e) CHECK(bits.read(base + 4 * e, 4) == q.code(r, j * 16 + e));
    CHECK(bits.read(base + 64, 8) == q.scale_code(r, j));
  }
  CHECK(bits.read(288, 32) == std::bit_cast<uint32_t>(q.tensor_scale));
  // sign-exp-scale: per element bits 1..3, then the 8 scale bits.
  const auto sep = gather(q, ProtectionLayout::parse("sign-exp-scale", Scheme::NVFP4), Region::Protected);
  REQUIRE(sep.bits == 4 * (16 * 3 + 8) + 32);
  CHECK(sep.read(0, 3) == (q.code(0, 0) >> 1));
  const auto mant = gather(q, ProtectionLayout::parse("sign-exp-scale", Scheme::NVFP4), Region::Unprotected);
  REQUIRE(mant.bits == 4 * 16);
  CHECK(mant.get(0) == (q.code(0, 0) & 1));
}

TEST_CASE("gather then scatter of both regions rebuilds the tensor bit for bit", "[layout]") {
  for (const char* name : {"none", "scale", "sign-exp-scale", "full", "custom:code=0x9,scale=0xF0,tensor=0"}) {
    const auto q = ecc_test::random_nvfp4(5, 37, 3);  // partial blocks, odd column count (pad nibble)
    const auto layout = ProtectionLayout::parse(name, Scheme::NVFP4);
    const auto p = gather(q, layout, Region::Protected);
    const auto u = gather(q, layout, Region::Unprotected);
    const auto f = footprint(q, layout, 64, true);
    CHECK(p.bits == f.protected_bits);
    CHECK(u.bits == f.unprotected_bits);
    nvfp4::QuantizedTensor z = q;
    std::fill(z.codes.begin(), z.codes.end(), uint8_t{0});
    std::fill(z.scales.begin(), z.scales.end(), uint8_t{0});
    z.tensor_scale = 0.0f;
    scatter(p, layout, Region::Protected, z);
    scatter(u, layout, Region::Unprotected, z);
    INFO(name);
    CHECK(z.codes == q.codes);
    CHECK(z.scales == q.scales);
    CHECK(std::bit_cast<uint32_t>(z.tensor_scale) == std::bit_cast<uint32_t>(q.tensor_scale));
  }
}
