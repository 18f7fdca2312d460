// Philox4x32-10 against the known-answer vectors published with Random123 (kat_vectors, "philox4x32 10" lines).
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>

#include "numerics/philox.hpp"
#include "numerics/quant/philox_batch.hpp"

#include <vector>

using nvfp4::philox4x32_10;
using Ctr = std::array<uint32_t, 4>;
using Key = std::array<uint32_t, 2>;

TEST_CASE("philox4x32-10 Random123 known answers") {
  CHECK(philox4x32_10(Ctr{0, 0, 0, 0}, Key{0, 0}) == Ctr{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
  CHECK(philox4x32_10(Ctr{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, Key{0xffffffff, 0xffffffff}) ==
        Ctr{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
  CHECK(philox4x32_10(Ctr{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, Key{0xa4093822, 0x299f31d0}) ==
        Ctr{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("sr_random_word follows the counter/key contract of philox.hpp") {
  const uint64_t seed = 0x0123456789ABCDEFull, index = 0xFEDCBA9876543210ull;
  const Ctr expect = philox4x32_10(Ctr{0x76543210u, 0xFEDCBA98u, 0, 0}, Key{0x89ABCDEFu, 0x01234567u});
  CHECK(nvfp4::sr_random_word(seed, index) == expect[0]);
  CHECK(nvfp4::sr_random_word(0, 0) == 0x6627e8d5u);
  CHECK(nvfp4::sr_random_word(0, 1) != nvfp4::sr_random_word(0, 0));
  CHECK(nvfp4::sr_random_word(1, 0) != nvfp4::sr_random_word(0, 0));
}

TEST_CASE("the batched SR words equal sr_random_word, across the 2^32 index boundary too") {
  for (uint64_t index0 : {uint64_t{0}, uint64_t{12345}, (uint64_t{1} << 32) - 37, uint64_t{0xFFFFFFFFFFFFFFF0ull}}) {
    for (uint64_t seed : {uint64_t{0}, uint64_t{42}, uint64_t{0xDEADBEEFCAFEF00Dull}}) {
      std::vector<uint32_t> w(1000);
      const int64_t n = index0 > (uint64_t{1} << 63) ? 16 : 1000;  // stay below 2^64
      nvfp4::detail::sr_random_words(seed, index0, n, w.data());
      for (int64_t i = 0; i < n; ++i) {
        INFO("seed " << seed << " index " << index0 + static_cast<uint64_t>(i));
        REQUIRE(w[static_cast<size_t>(i)] == nvfp4::sr_random_word(seed, index0 + static_cast<uint64_t>(i)));
      }
    }
  }
}
