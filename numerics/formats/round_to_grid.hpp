// Internal: exact rounding of a non-negative finite binary floating-point magnitude onto the grid of a small
// floating-point format, with integer arithmetic only (no host FPU rounding involved, so it is exact by construction).
//
// A target format has `mant_bits` fraction bits and minimum normal exponent `emin` (= 1 - bias). The trick used
// throughout: for a magnitude rounded to n units of the quantum 2^(max(e, emin) - mant_bits), the code
// (without sign) is ((max(e, emin) - emin) << mant_bits) + n. This covers normals (n carries the implicit bit),
// subnormals (n < 2^mant_bits) and the carry into the next binade, all at once.
#pragma once
#include <cstdint>

#include "numerics/formats.hpp"

namespace nvfp4::detail {

struct GridFormat {
  int mant_bits;  // fraction bits of the target
  int emin;       // minimum normal exponent of the target (1 - bias)
};

// Magnitude = sig * 2^(exp2) (sig < 2^63: the source significand with its implicit bit, any source width).
// Returns the unsigned target code (may exceed the format's largest finite code: callers saturate).
inline uint32_t round_magnitude(uint64_t sig, int exp2, GridFormat f, Round r) {
  if (sig == 0) return 0;
  const int top = 63 - __builtin_clzll(sig);  // e = floor(log2(magnitude))
  const int e = exp2 + top;
  const int eq = e > f.emin ? e : f.emin;  // exponent of the binade that sets the quantum
  const int quantum_exp = eq - f.mant_bits;  // quantum = 2^quantum_exp
  const int shift = quantum_exp - exp2;      // sig >> shift = whole quanta
  uint64_t n;
  bool half = false, above_half = false, inexact = false;
  if (shift <= 0) {
    n = sig << (-shift);
  } else if (shift >= 64) {
    n = 0;
    inexact = true;  // half a quantum is 2^(shift-1) >= 2^63 source units > sig: strictly below half
  } else {
    n = sig >> shift;
    uint64_t rem = sig & ((uint64_t{1} << shift) - 1);
    uint64_t halfq = uint64_t{1} << (shift - 1);
    inexact = rem != 0;
    half = rem == halfq;
    above_half = rem > halfq;
  }
  switch (r) {
    case Round::NearestEven:
      if (above_half || (half && (n & 1))) ++n;
      break;
    case Round::TowardZero:
      break;
    case Round::TowardPosInf:
      if (inexact) ++n;
      break;
  }
  return static_cast<uint32_t>((static_cast<uint64_t>(eq - f.emin) << f.mant_bits) + n);
}

// Splits a finite double magnitude (sign ignored) into significand and exponent for round_magnitude.
inline void split_double(uint64_t bits, uint64_t& sig, int& exp2) {
  uint64_t frac = bits & ((uint64_t{1} << 52) - 1);
  int biased = static_cast<int>((bits >> 52) & 0x7FF);
  if (biased == 0) {
    sig = frac;
    exp2 = -1074;
  } else {
    sig = frac | (uint64_t{1} << 52);
    exp2 = biased - 1075;
  }
}

inline void split_float(uint32_t bits, uint64_t& sig, int& exp2) {
  uint32_t frac = bits & 0x7FFFFF;
  int biased = static_cast<int>((bits >> 23) & 0xFF);
  if (biased == 0) {
    sig = frac;
    exp2 = -149;
  } else {
    sig = frac | 0x800000u;
    exp2 = biased - 150;
  }
}

}  // namespace nvfp4::detail
