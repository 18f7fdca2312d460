// Bit access to a Verilated wide port (VlWide) or any array of 32-bit words: shared by the test benches and the
// RTL replay tool so both pack operands the same way.
#pragma once
#include <cstdint>

namespace nvfp4::rtl {

// Writes `width` bits of v at bit `lsb` of a verilated wide port (VlWide) or any array of 32-bit words.
template <class Words>
void put_bits(Words& w, int lsb, int width, uint64_t v) {
  for (int i = 0; i < width; ++i) {
    const int b = lsb + i;
    const uint32_t mask = 1u << (b % 32);
    if ((v >> i) & 1u) w[b / 32] |= mask;
    else w[b / 32] &= ~mask;
  }
}
template <class Words>
uint64_t get_bits(const Words& w, int lsb, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    const int b = lsb + i;
    v |= static_cast<uint64_t>((w[b / 32] >> (b % 32)) & 1u) << i;
  }
  return v;
}

}  // namespace nvfp4::rtl
