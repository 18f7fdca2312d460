// A fixed-size bit vector wide enough for the longest SECDED codeword of the project (128 data bits + 8 check bits
// + 1 overall parity = 137 bits). Bit i lives in limb i / 64 at position i % 64; unused high bits stay zero.
#pragma once
#include <array>
#include <bit>
#include <cstdint>

namespace nvfp4::ecc {

struct WideWord {
  static constexpr int kBits = 192;
  std::array<uint64_t, 3> limb{};

  bool get(int i) const { return (limb[i >> 6] >> (i & 63)) & 1u; }
  void set(int i, bool v) {
    const uint64_t m = uint64_t{1} << (i & 63);
    limb[i >> 6] = v ? (limb[i >> 6] | m) : (limb[i >> 6] & ~m);
  }
  void flip(int i) { limb[i >> 6] ^= uint64_t{1} << (i & 63); }
  int popcount() const { return std::popcount(limb[0]) + std::popcount(limb[1]) + std::popcount(limb[2]); }
  // Parity (XOR of all bits) of this & mask, and of this. By folding: the build targets x86-64 without POPCNT, where
  // std::popcount is a library call (measured: most of the SECDED codec's time in the sweeps' read-back).
  bool parity_and(const WideWord& mask) const {
    return parity64((limb[0] & mask.limb[0]) ^ (limb[1] & mask.limb[1]) ^ (limb[2] & mask.limb[2]));
  }
  bool parity() const { return parity64(limb[0] ^ limb[1] ^ limb[2]); }
  static bool parity64(uint64_t x) {
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return (x & 1u) != 0;
  }
  // The low `n` bits only (n in 0..192).
  WideWord low_bits(int n) const;
  // Bits [lo, lo + n) as an unsigned value (n <= 64).
  uint64_t field(int lo, int n) const;
  void set_field(int lo, int n, uint64_t value);

  friend bool operator==(const WideWord&, const WideWord&) = default;
  WideWord operator^(const WideWord& o) const {
    return WideWord{{limb[0] ^ o.limb[0], limb[1] ^ o.limb[1], limb[2] ^ o.limb[2]}};
  }
};

}  // namespace nvfp4::ecc
