// The exact block term of the general golden GEMM (numerics/gemm/exact_term.hpp, exact_fp32.hpp) for the device:
// sa * sb * s * 2^unit_exp with s an exact integer sum of element units, rounded ONCE to fp32, plus the MMA-Sim
// truncation of such a term. |s| * mant(sa) * mant(sb) can need more than 64 bits (fp16 weights with int4's fp16
// scales), so the magnitude is an unsigned __int128, as in the golden model. Host-compilable: checked against the
// golden ExactTerm in tests/cuda/device_formats_host.cpp.
#pragma once
#include "cuda/kernels/accumulate.cuh"

namespace nvfp4::cuda {

// Exact decomposition of a finite float: mant (odd, or 0) * 2^exp2 (golden decompose()).
struct MantExp {
  uint32_t mant;
  int exp2;
};
NVFP4_HD MantExp decompose_float(float f) {
  const FloatParts p = float_parts(f);
  if (p.mant == 0) return {0, 0};
#if defined(__CUDA_ARCH__)
  const int tz = __ffs(static_cast<int>(p.mant)) - 1;
#else
  const int tz = __builtin_ctz(p.mant);
#endif
  return {p.mant >> tz, p.exp2 + tz};
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
