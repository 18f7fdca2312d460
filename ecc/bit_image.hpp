// A growable bit array: the bits of one stored region (protected stream, unprotected stream, codeword array) in the
// order the protection layout defines. Bit i lives in words[i / 64] at position i % 64.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nvfp4::ecc {

struct BitImage {
  std::vector<uint64_t> words;
  int64_t bits = 0;

  BitImage() = default;
  explicit BitImage(int64_t n) : words(static_cast<size_t>((n + 63) / 64), 0), bits(n) {}

  bool get(int64_t i) const { return (words[static_cast<size_t>(i >> 6)] >> (i & 63)) & 1u; }
  void set(int64_t i, bool v) {
    const uint64_t m = uint64_t{1} << (i & 63);
    uint64_t& w = words[static_cast<size_t>(i >> 6)];
    w = v ? (w | m) : (w & ~m);
  }
  void flip(int64_t i) { words[static_cast<size_t>(i >> 6)] ^= uint64_t{1} << (i & 63); }
  void push_back(bool v) {
    if ((bits & 63) == 0) words.push_back(0);
    if (v) words.back() |= uint64_t{1} << (bits & 63);
    ++bits;
  }
  // Appends the low `n` bits of `value`, least significant first (n <= 64).
  void append(uint64_t value, int n) {
    for (int b = 0; b < n; ++b) push_back((value >> b) & 1u);
  }
  // Bits [lo, lo + n) as a value, least significant first (n <= 64); bits past the end read as 0.
  uint64_t read(int64_t lo, int n) const {
    uint64_t v = 0;
    for (int b = 0; b < n && lo + b < bits; ++b) v |= uint64_t{get(lo + b)} << b;
    return v;
  }
};

}  // namespace nvfp4::ecc
