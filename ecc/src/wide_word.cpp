#include "ecc/wide_word.hpp"

namespace nvfp4::ecc {

WideWord WideWord::low_bits(int n) const {
  WideWord out;
  for (int l = 0; l < 3; ++l) {
    const int lo = l * 64;
    if (n >= lo + 64) {
      out.limb[l] = limb[l];
    } else if (n > lo) {
      out.limb[l] = limb[l] & ((uint64_t{1} << (n - lo)) - 1);
    }
  }
  return out;
}

uint64_t WideWord::field(int lo, int n) const {
  uint64_t v = 0;
  for (int b = 0; b < n; ++b) v |= uint64_t{get(lo + b)} << b;
  return v;
}

void WideWord::set_field(int lo, int n, uint64_t value) {
  for (int b = 0; b < n; ++b) set(lo + b, (value >> b) & 1u);
}

}  // namespace nvfp4::ecc
