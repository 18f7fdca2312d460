// The exact block term of the general golden GEMM (numerics/gemm/exact_term.hpp, exact_fp32.hpp) for the device:
// sa * sb * s * 2^unit_exp with s an exact integer sum of element units, rounded ONCE to fp32, plus the MMA-Sim
// truncation of such a term. |s| * mant(sa) * mant(sb) can need more than 64 bits (fp16 weights with int4's fp16
// scales), so the magnitude is an unsigned __int128, as in the golden model. Host-compilable: checked against the
// golden ExactTerm in tests/cuda/device_formats_host.cpp.
#pragma once
#include "cuda/kernels/accumulate.cuh"

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

// Exact decomposition of a finite float: mant (odd, or 0) * 2^exp2 (golden decompose()).
struct MantExp {
  uint32_t mant;
  int exp2;
};
NVFP4_HD MantExp decompose_float(float f) {
  const uint32_t bits = float_bits(f);
  const uint32_t e = (bits >> 23) & 0xFFu;
  uint32_t m = bits & 0x7FFFFFu;
  int x = -149;
  if (e != 0) {
    m |= 0x800000u;
    x = static_cast<int>(e) - 150;
  }
  if (m == 0) return {0, 0};
#if defined(__CUDA_ARCH__)
  const int tz = __ffs(static_cast<int>(m)) - 1;
#else
  const int tz = __builtin_ctz(m);
#endif
  return {m >> tz, x + tz};
}

// |s| * |sa| * |sb| as mag * 2^exp2 (the golden ExactTerm::product; sa, sb finite). The sign is (s < 0) != sign(sa)
// != sign(sb), dropped for a zero magnitude.
struct ExactMag {
  bool neg;
  u128_t mag;
  int exp2;
};
NVFP4_HD ExactMag exact_product(int64_t s, int unit_exp, float sa, float sb) {
  const MantExp a = decompose_float(sa), b = decompose_float(sb);
  const uint64_t abs_s = s < 0 ? 0 - static_cast<uint64_t>(s) : static_cast<uint64_t>(s);
  ExactMag t;
  t.mag = static_cast<u128_t>(abs_s) * (static_cast<uint64_t>(a.mant) * b.mant);
  t.neg = t.mag != 0 && ((s < 0) != (((float_bits(sa) ^ float_bits(sb)) >> 31) != 0));
  t.exp2 = unit_exp + a.exp2 + b.exp2;
  return t;
}

// The fp32 round-to-nearest-even of the exact term (what fp32-seq and fixed:W:F add); exact zero is +0.
NVFP4_HD float exact_term_fp32(int64_t s, int unit_exp, float sa, float sb) {
  const ExactMag t = exact_product(s, unit_exp, sa, sb);
  return fp32_from_u128(t.neg, t.mag, t.exp2, false);
}

// MMA-Sim's exponent of a decoded scale (golden mmasim_scale_exponent): floor(log2 s), at least the format's minimum
// exponent; -126 for zero.
NVFP4_HD int mmasim_exponent_of(float s, int format_min_exp) {
  if (s == 0.0f) return -126;
  const int e = floor_log2_abs(s);
  return e < format_min_exp ? format_min_exp : e;
}

// trunc(term * 2^(35 - emax)) as a signed integer (golden BlackwellMmaAccumulator::truncated). For E2M1 x E2M1 terms
// (the only ones blackwell-mma takes) |result| < 2^50, so int64 holds it and the chunk sum of at most 65 of them.
NVFP4_HD int64_t mmasim_truncate(const ExactMag& t, int emax) {
  const int shift = t.exp2 + kMmaFracBits - emax;
  u128_t m;
  if (shift >= 0) m = shift >= 100 ? 0 : t.mag << shift;
  else m = -shift >= 128 ? 0 : t.mag >> -shift;
  const int64_t r = static_cast<int64_t>(m);
  return t.neg ? -r : r;
}

}  // namespace nvfp4::cuda
