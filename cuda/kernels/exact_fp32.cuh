// Exact fp32 building blocks for the device (mirror of numerics/gemm/exact_fp32.hpp): bit lengths, the exact
// sign/mantissa/exponent of a float, and the one rounding of an exact value mag * 2^exp2 to fp32. Shared by the
// accumulation policies (accumulate.cuh) and the general GEMM's exact terms (exact_term.cuh). Host-compilable.
#pragma once
#include "cuda/kernels/hd.cuh"

namespace nvfp4::cuda {

using u128_t = unsigned __int128;

NVFP4_HD int bit_length_u64(uint64_t x) {
  if (x == 0) return 0;
#if defined(__CUDA_ARCH__)
  return 64 - __clzll(static_cast<long long>(x));
#else
  return 64 - __builtin_clzll(x);
#endif
}
NVFP4_HD int bit_length_u128(u128_t x) {
  const uint64_t hi = static_cast<uint64_t>(x >> 64);
  return hi ? 64 + bit_length_u64(hi) : bit_length_u64(static_cast<uint64_t>(x));
}

// (-1)^neg * mag * 2^exp2 rounded to fp32 (nearest-even, or toward zero when rz), subnormals included; a magnitude
// that rounds to 2^128 or more is +-Inf; zero keeps the sign neg. Same steps as the golden fp32_from_scaled.
NVFP4_HD float fp32_from_u128(bool neg, u128_t mag, int exp2, bool rz) {
  const uint32_t sign = neg ? 0x80000000u : 0u;
  if (mag == 0) return bits_float(sign);
  const int top = bit_length_u128(mag) - 1 + exp2;
  if (top > 127) return bits_float(sign | 0x7F800000u);
  const int lsb = top >= -126 ? top - 23 : -149;  // weight of the last kept bit
  const int drop = lsb - exp2;
  uint64_t kept;
  if (drop <= 0) {
    kept = static_cast<uint64_t>(mag) << -drop;  // at most 24 significant bits
  } else if (drop > 128) {
    kept = 0;
  } else {
    const u128_t q = drop == 128 ? 0 : mag >> drop;
    const u128_t rem = drop == 128 ? mag : mag - (q << drop);
    kept = static_cast<uint64_t>(q);
    if (!rz) {
      const u128_t half = static_cast<u128_t>(1) << (drop - 1);
      if (rem > half || (rem == half && (kept & 1))) ++kept;
    }
  }
  // kept * 2^lsb: kept in [2^23, 2^24] for normals (2^24 carries into the exponent, up to Inf), <= 2^23 for
  // subnormals (lsb = -149); one formula gives the bits of both.
  return bits_float(sign | ((static_cast<uint32_t>(lsb + 149) << 23) + static_cast<uint32_t>(kept)));
}

// A float as (-1)^neg * mant * 2^exp2 exactly: mant < 2^24 with the implicit bit, exp2 = -149 for subnormals and
// zeros. Meaningless for Inf/NaN (callers check those first).
struct FloatParts {
  bool neg;
  uint32_t mant;
  int exp2;
};
NVFP4_HD FloatParts float_parts(float f) {
  const uint32_t u = float_bits(f);
  const uint32_t e = (u >> 23) & 0xFFu;
  FloatParts p{(u >> 31) != 0, u & 0x7FFFFFu, -149};
  if (e != 0) {
    p.mant |= 0x800000u;
    p.exp2 = static_cast<int>(e) - 150;
  }
  return p;
}

}  // namespace nvfp4::cuda
