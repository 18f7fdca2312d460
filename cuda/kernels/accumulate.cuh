// The two accumulation policies of the golden GEMM (numerics/gemm/policy_fp32_seq.hpp and
// policy_blackwell_mma.hpp), for the device: the per-block terms arrive as exact fp32 values (or, for MXFP4, as the
// exact group sum S with the scale exponent still to apply), and these functions combine them in the policy's order.
#pragma once
#include "cuda/kernels/exact_fp32.cuh"
#include "cuda/kernels/formats.cuh"

namespace nvfp4::cuda {

constexpr uint32_t kCanonicalNan = 0x7FC00000u;  // fp32-seq NaN result
constexpr uint32_t kMmaSimNan = 0x7FFFFFFFu;     // blackwell-mma NaN result (MMA-Sim)
constexpr int kMmaFracBits = 35;

// floor(log2 |v|) of a finite nonzero float, subnormals included.
NVFP4_HD int floor_log2_abs(float v) {
  const uint32_t a = float_bits(v) & 0x7FFFFFFFu;
  const int e = static_cast<int>(a >> 23);
  if (e != 0) return e - 127;
#if defined(__CUDA_ARCH__)
  return -150 + (32 - __clz(a));  // 32-bit count: this runs per output and chunk in the blackwell-mma kernels
#else
  return -150 + (32 - __builtin_clz(a));
#endif
}

// MMA-Sim's exponent of a scale: floor(log2 s) for normals, the format's minimum exponent for subnormals (UE4M3: -6),
// -126 for zero.
NVFP4_HD int ue4m3_mmasim_exponent(uint8_t code) {
  const int e = (code >> 3) & 0xF;
  if (e == 0) return (code & 7) ? -6 : -126;
  return e - 7;
}
NVFP4_HD int ue8m0_mmasim_exponent(uint8_t code) { return static_cast<int>(code) - 127; }

// trunc(v * 2^shift) toward zero as a signed integer, v a finite float (exact decomposition of its bits).
NVFP4_HD int64_t trunc_scaled(float v, int shift) {
  const FloatParts f = float_parts(v);
  const int s = f.exp2 + shift;
  const uint64_t m = f.mant;
  uint64_t t;
  if (s >= 0) t = s >= 40 ? 0 : (m << s);   // |T| < 2^50 for every reachable input (CPU model comment)
  else t = s <= -64 ? 0 : (m >> -s);
  const int64_t r = static_cast<int64_t>(t);
  return f.neg ? -r : r;
}

// sum * 2^exp2 rounded toward zero to fp32; exact zero is +0; magnitudes >= 2^128 give +-Inf (as MMA-Sim).
NVFP4_HD float rz_from_scaled(int64_t sum, int exp2) {
  const bool neg = sum < 0;
  const float f = fp32_from_u128(neg, neg ? 0 - static_cast<uint64_t>(sum) : static_cast<uint64_t>(sum), exp2, true);
  return f == 0.0f ? 0.0f : f;  // zero and underflow: +0, as the golden model (MMA-Sim's integer sum has no sign)
}

// One blackwell-mma chunk: C and the first `count` (<= N) group terms. The exact term g equals v[g] * 2^extra[g]
// (extra = 0 for NVFP4, whose terms are exact fp32 values; the scale exponent for MXFP4, whose v is the raw group sum);
// e[g] is MMA-Sim's scale exponent sum of group g. N is a compile-time size so the arrays stay in registers.
template <int N>
NVFP4_HD float blackwell_chunk(float c, int count, const float (&v)[N], const int (&extra)[N], const int (&e)[N]) {
  const uint32_t ca = float_bits(c) & 0x7FFFFFFFu;
  if (ca >= 0x7F800000u) return c;  // Inf (and NaN) accumulators are sticky
  const int e_c = ca == 0 ? -126 : (floor_log2_abs(c) < -126 ? -126 : floor_log2_abs(c));
  int emax = e_c;
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int i = 0; i < N; ++i)
    if (i < count) emax = e[i] > emax ? e[i] : emax;
  int64_t sum = trunc_scaled(c, kMmaFracBits - emax);
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
  for (int i = 0; i < N; ++i)
    if (i < count) sum += trunc_scaled(v[i], kMmaFracBits - emax + extra[i]);
  return rz_from_scaled(sum, emax - kMmaFracBits);
}

// The same chunk in double arithmetic (device fast path): every aligned term trunc(V * 2^(35 - Emax)) is an integer
// below 2^50 obtained exactly (power-of-two scaling, then trunc), so their sum (< 2^53) is exact in double too; the
// final scaling is exact and __double2float_rz rounds once toward zero, subnormals included. Same bits as
// blackwell_chunk (checked against the golden model by tests/cuda/gpu_kernels_test.cu).
#if defined(__CUDACC__)
__device__ __forceinline__ double pow2_double(int k) {  // 2^k for k in [-1022, 1023]
  return __longlong_as_double(static_cast<long long>(k + 1023) << 52);
}
template <int N>
__device__ __forceinline__ float blackwell_chunk_fast(float c, int count, const float (&v)[N], const int (&extra)[N],
                                                      const int (&e)[N]) {
  const uint32_t ca = __float_as_uint(c) & 0x7FFFFFFFu;
  if (ca >= 0x7F800000u) return c;
  int emax = ca == 0 ? -126 : max(floor_log2_abs(c), -126);
#pragma unroll
  for (int i = 0; i < N; ++i)
    if (i < count) emax = max(emax, e[i]);
  double sum = trunc(__dmul_rn(static_cast<double>(c), pow2_double(kMmaFracBits - emax)));
#pragma unroll
  for (int i = 0; i < N; ++i)
    if (i < count) sum = __dadd_rn(sum, trunc(__dmul_rn(static_cast<double>(v[i]), pow2_double(kMmaFracBits - emax + extra[i]))));
  if (sum == 0.0) return 0.0f;  // MMA-Sim's integer sum has no negative zero
  const double r = __dmul_rn(sum, pow2_double(emax - kMmaFracBits));
  if (fabs(r) >= 0x1p128) return r < 0 ? -__int_as_float(0x7F800000) : __int_as_float(0x7F800000);
  // A negative sum below the fp32 subnormals gives -0 here where the golden model has +0. The sign of a zero C does
  // not change any later chunk (only |C| and trunc(C) enter), so finish_output normalizes it once per output instead
  // of once per chunk (measured: per chunk costs this kernel 9%).
  return __double2float_rz(r);
}
#endif

// fixed:W:F (numerics/gemm/policy_fixed.hpp): each exact fp32 term becomes floor(term * 2^F), clamped to +-2^70 (Inf
// terms saturate), and is added to a W-bit two's-complement register that saturates. The register value always fits
// int64 (W <= 64); the add and clamp run in 128 bits.
struct FixedRegister {
  int frac;
  int64_t min, max;
};
NVFP4_HD __int128 fixed_floor_scaled(float term, int frac) {
  const __int128 big = static_cast<__int128>(1) << 70;
  const FloatParts f = float_parts(term);
  if (((float_bits(term) >> 23) & 0xFFu) == 0xFFu) return f.neg ? -big : big;  // Inf; NaN terms: flagged by the caller
  if (f.mant == 0) return 0;
  const uint64_t mant = f.mant;
  const int shift = f.exp2 + frac;
  if (shift >= 0) {
    const __int128 m = bit_length_u64(mant) + shift > 70 ? big : static_cast<__int128>(mant) << shift;
    return f.neg ? -m : m;
  }
  if (shift <= -64) return f.neg ? -1 : 0;  // floor of a tiny value
  const int s = -shift;
  if (!f.neg) return static_cast<__int128>(mant >> s);
  return -static_cast<__int128>((mant + ((uint64_t{1} << s) - 1)) >> s);  // floor(-x) = -ceil(x)
}
NVFP4_HD int64_t fixed_add(int64_t acc, float term, const FixedRegister& r) {
  const __int128 v = static_cast<__int128>(acc) + fixed_floor_scaled(term, r.frac);
  return v > r.max ? r.max : (v < r.min ? r.min : static_cast<int64_t>(v));
}
// D = fp32( fp32_rn(acc * 2^-F) * s_t ), or the canonical NaN: acc rounds once to fp32 and the power-of-two scaling is
// exact (|acc| * 2^-F >= 2^-63 is a normal float).
NVFP4_HD float fixed_finish(int64_t acc, bool nan, int frac, float tensor_scale_product) {
  if (nan) return bits_float(kCanonicalNan);
#if defined(__CUDA_ARCH__)
  const float v = __fmul_rn(__ll2float_rn(acc), __int_as_float((127 - frac) << 23));
#else
  const float v = mul_rn(static_cast<float>(acc), bits_float(static_cast<uint32_t>(127 - frac) << 23));
#endif
  const float d = mul_rn(v == 0.0f ? 0.0f : v, tensor_scale_product);
  return d != d ? bits_float(kCanonicalNan) : d;
}

NVFP4_HD float finish_output(float acc, float tensor_scale_product, bool mmasim_nan) {
  if (mmasim_nan && acc == 0.0f) acc = 0.0f;  // blackwell-mma: a zero C is +0 (see blackwell_chunk_fast)
  const float d = mul_rn(acc, tensor_scale_product);
  if (d != d) return bits_float(mmasim_nan ? kMmaSimNan : kCanonicalNan);
  return d;
}

}  // namespace nvfp4::cuda
