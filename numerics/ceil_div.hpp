#pragma once
// ceil(x / d), the one definition for the libraries (fold counts, words per burst, blocks per row).
#include <bit>
#include <cstdint>

namespace nvfp4 {

// x >= 0, d > 0. A shift for power-of-two divisors (the usual word widths and port counts): a 64-bit division per
// SRAM burst was a third of a bank's time in a ResNet-18 run.
constexpr uint64_t ceil_div(uint64_t x, uint64_t d) {
  if ((d & (d - 1)) == 0) return (x >> std::countr_zero(d)) + ((x & (d - 1)) != 0);
  return (x + d - 1) / d;
}
constexpr int64_t ceil_div(int64_t x, int64_t d) {
  return static_cast<int64_t>(ceil_div(static_cast<uint64_t>(x), static_cast<uint64_t>(d)));
}

}  // namespace nvfp4
