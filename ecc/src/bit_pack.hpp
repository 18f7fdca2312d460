// Internal: word-parallel bit helpers of the injector's gather (ecc/src/stream_index.hpp): appending bit fields to a
// codeword, reading a bit field out of a byte array, and packing the chosen bits of a value to its low end.
#pragma once
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "ecc/wide_word.hpp"

namespace nvfp4::ecc::detail {

inline uint64_t low_mask(int n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }

// Appends fields at increasing bit positions of a WideWord (bit 0 first).
struct BitPacker {
  WideWord word;
  int at = 0;  // bits written so far
  // The low n bits of v (0 <= n <= 64, at + n <= WideWord::kBits).
  void put(uint64_t v, int n) {
    if (n <= 0) return;
    v &= low_mask(n);
    const int l = at >> 6, s = at & 63;
    word.limb[static_cast<size_t>(l)] |= v << s;
    if (s + n > 64) word.limb[static_cast<size_t>(l) + 1] |= v >> (64 - s);
    at += n;
  }
};

// Bits [bit, bit + n) of the little-endian bit string at `bytes` (bit i = bit i % 8 of byte i / 8), 1 <= n <= 56;
// `size` bytes may be read from `bytes` (bits past the end read 0).
inline uint64_t load_bits(const uint8_t* bytes, int64_t size, int64_t bit, int n) {
  const int64_t first = bit >> 3;
  const int64_t avail = std::min<int64_t>(8, size - first);
  uint64_t x = 0;
  if (avail == 8) {
    std::memcpy(&x, bytes + first, 8);  // little-endian host (x86-64, AArch64)
  } else {
    for (int64_t i = 0; i < avail; ++i) x |= uint64_t{bytes[first + i]} << (8 * i);
  }
  return (x >> (bit & 7)) & low_mask(n);
}

// The bits of a value (up to 16 bits) selected by `mask`, packed in order to the low end (a software PEXT: the build
// targets x86-64 without BMI2), one table look-up per byte.
class BitCompress {
 public:
  BitCompress() = default;
  explicit BitCompress(uint32_t mask) : lo_bits_(std::popcount(mask & 0xFFu)) {
    for (int half = 0; half < 2; ++half) {
      const uint32_t m = (mask >> (8 * half)) & 0xFFu;
      auto& t = tab_[static_cast<size_t>(half)];
      for (uint32_t v = 1; v < 256; ++v) {  // v's lowest bit b added to the packing of v without it
        const int b = std::countr_zero(v);
        const bool chosen = ((m >> b) & 1u) != 0;
        t[v] = static_cast<uint16_t>(t[v & (v - 1)] | (chosen ? 1u << std::popcount(m & ((1u << b) - 1)) : 0u));
      }
    }
  }
  uint32_t operator()(uint32_t v) const {
    return tab_[0][v & 0xFFu] | static_cast<uint32_t>(tab_[1][(v >> 8) & 0xFFu]) << lo_bits_;
  }

 private:
  std::array<std::array<uint16_t, 256>, 2> tab_{};
  int lo_bits_ = 0;
};

}  // namespace nvfp4::ecc::detail
