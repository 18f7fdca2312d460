// Element and scale conversions of NVFP4_SPEC.md sections 1-2 for the device, written with integer operations on the
// fp32 bit pattern. They follow the CUDA 13 header emulation (cuda_fp4.hpp __nv_cvt_double_to_fp4, cuda_fp8.hpp
// __nv_cvt_double_to_fp8 and __nv_cvt_float_to_e8m0) step by step; a float converts to double exactly, so the double
// thresholds of the headers become the fp32 bit patterns below. Checked against the headers for all 2^32 inputs
// (tests/cuda/exhaustive_convert.cu on the GPU; a strided host run in tests/cuda/device_formats_host.cpp).
#pragma once
#include "cuda/kernels/hd.cuh"

namespace nvfp4::cuda {

// ---- FP4 E2M1 (s e1 e0 m, bias 1), satfinite. rz = round toward zero, else round to nearest even.
NVFP4_HD uint8_t e2m1_encode(float x, bool rz = false) {
  const uint32_t u = float_bits(x);
  const uint32_t a = u & 0x7FFFFFFFu;
  uint32_t sign = (u >> 31) << 3;
  if (a <= 0x3E800000u) return static_cast<uint8_t>(sign);          // |x| <= 0.25 (min subnormal / 2): zero
  if (a > 0x40C00000u) {                                            // |x| > 6, Inf or NaN
    if (a > 0x7F800000u) sign = 0;                                  // NaN -> +6
    return static_cast<uint8_t>(sign | 0x7u);
  }
  constexpr uint32_t kHalfUlp = 1u << 21;                           // half of E2M1's mantissa LSB, in fp32 bits
  const int exp = static_cast<int>(a >> 23) - 127 + 1;              // E2M1 biased exponent
  uint32_t mant = (a >> 22) & 1u;
  uint32_t res;
  if (a >= 0x3F800000u) {                                           // normal: |x| >= 1
    res = (static_cast<uint32_t>(exp) << 1) | mant;
    const uint32_t round = a & ((kHalfUlp << 1) - 1);
    if (!rz && (round > kHalfUlp || (round == kHalfUlp && (mant & 1u)))) ++res;
  } else {                                                          // subnormal: 0.25 < |x| < 1
    const uint32_t shift = static_cast<uint32_t>(1 - exp);          // 1 or 2
    mant |= 2u;
    res = mant >> shift;
    const uint32_t round = (a | (1u << 23)) & ((kHalfUlp << (shift + 1)) - 1);
    if (!rz && (round > (kHalfUlp << shift) || (round == (kHalfUlp << shift) && (res & 1u)))) ++res;
  }
  return static_cast<uint8_t>(res | sign);
}

// The same round-to-nearest-even (satfinite, NaN -> 0x7, sign kept on zero) in about half the instructions of the
// header form (the quantize kernels were instruction-bound): |x| < 1 is rounded to a multiple of 0.5 by one fp32 add of
// 2^22 (the fp32 spacing there is 0.5, and the add rounds to nearest even), and the count of halves is the code;
// |x| >= 1 is rounded to E2M1's one mantissa bit (fp32 bit 22) by the usual integer round-half-even on the pattern,
// rebased so 1.0 -> code 2, and saturated at 7 (6.0; NaN too). The kernels use this one; checked for all 2^32 inputs
// against e2m1_encode on the GPU (tests/cuda/exhaustive_convert.cu) and strided on the host.
NVFP4_HD uint8_t e2m1_encode_rn_fast(float x) {
  const uint32_t u = float_bits(x);
  const uint32_t ab = u & 0x7FFFFFFFu;
  const uint32_t halves = float_bits(add_rn(bits_float(ab), 4194304.0f)) - 0x4A800000u;  // |x| < 1: 0, 1 or 2
  const uint32_t r = (ab - 0x3F000000u + 0x1FFFFFu + ((ab >> 22) & 1u)) >> 22;           // |x| >= 1: 2..
  const uint32_t m = ab < 0x3F800000u ? halves : (r < 7u ? r : 7u);
  const uint32_t sign = (u >> 31) & (ab <= 0x7F800000u ? 1u : 0u);  // NaN loses its sign
  return static_cast<uint8_t>(m | (sign << 3));
}

// 2 x |value| of E2M1 magnitudes 0..7: {0, 1, 2, 3, 4, 6, 8, 12}.
NVFP4_HD int e2m1_half_units(uint8_t code) {
  const int mag = code & 7;
  const int v = mag < 4 ? mag : (mag < 6 ? (mag - 2) * 2 : (mag - 4) * 4);
  return (code & 8) ? -v : v;
}
NVFP4_HD float e2m1_decode(uint8_t code) { return static_cast<float>(e2m1_half_units(code)) * 0.5f; }  // 0x8 -> +0
// The signed value, 0x8 -> -0.0 (dequantize keeps the sign of zero, as the golden model's value table does).
NVFP4_HD float e2m1_value(uint8_t code) {
  const float v = static_cast<float>(e2m1_half_units(code & 7u)) * 0.5f;
  return bits_float(float_bits(v) | (static_cast<uint32_t>(code & 8u) << 28));
}

// ---- FP8 E4M3 (e4m3fn), satfinite round to nearest even. NaN -> 0x7F (the header's float entry point
// canonicalizes NaN before converting).
NVFP4_HD uint8_t e4m3_encode(float x) {
  const uint32_t u = float_bits(x);
  const uint32_t a = u & 0x7FFFFFFFu;
  const uint32_t sign = (u >> 31) << 7;
  if (a <= 0x3A800000u) return static_cast<uint8_t>(sign);          // |x| <= 2^-10: zero
  if (a > 0x7F800000u) return 0x7Fu;                                // NaN (either sign) -> canonical 0x7F
  if (a > 0x43E80000u) return static_cast<uint8_t>(sign | 0x7Eu);   // > 448 + half ulp (464), Inf: saturate to 448
  constexpr uint32_t kHalfUlp = 1u << 19;
  const int exp = static_cast<int>(a >> 23) - 127 + 7;
  uint32_t mant = (a >> 20) & 7u;
  uint32_t res;
  if (a >= 0x3C800000u) {                                           // normal: |x| >= 2^-6
    res = (static_cast<uint32_t>(exp) << 3) | mant;
    const uint32_t round = a & ((kHalfUlp << 1) - 1);
    if (round > kHalfUlp || (round == kHalfUlp && (mant & 1u))) ++res;
  } else {                                                          // subnormal
    const uint32_t shift = static_cast<uint32_t>(1 - exp);          // 1..4
    mant |= 8u;
    res = mant >> shift;
    const uint32_t round = (a | (1u << 23)) & ((kHalfUlp << (shift + 1)) - 1);
    if (round > (kHalfUlp << shift) || (round == (kHalfUlp << shift) && (res & 1u))) ++res;
  }
  return static_cast<uint8_t>(res | sign);
}

NVFP4_HD float e4m3_decode(uint8_t code) {
  const uint32_t sign = static_cast<uint32_t>(code & 0x80u) << 24;
  const uint32_t e = (code >> 3) & 0xFu;
  const uint32_t m = code & 7u;
  if (e == 0xFu && m == 7u) return bits_float(sign | 0x7FC00000u);  // NaN
  if (e == 0) return bits_float(sign | float_bits(static_cast<float>(m) * 0.001953125f));  // m * 2^-9, exact
  return bits_float(sign | ((e - 7u + 127u) << 23) | (m << 20));
}
// UE4M3: the sign bit is ignored on decode; encode takes |x|.
NVFP4_HD float ue4m3_decode(uint8_t code) { return e4m3_decode(static_cast<uint8_t>(code & 0x7Fu)); }
NVFP4_HD uint8_t ue4m3_encode(float x) { return e4m3_encode(bits_float(float_bits(x) & 0x7FFFFFFFu)); }

// ---- UE8M0, satfinite, rounding toward zero (floor) or toward +Inf (ceil), as the header emulation: the float is
// first rounded to bf16 in the same direction (of |x| for ceil), then its exponent byte is taken.
NVFP4_HD uint8_t ue8m0_encode(float x, bool ceil) {
  const uint32_t u = float_bits(x);
  uint32_t bf;
  if (!ceil) {
    bf = ((u & 0x7FFFFFFFu) > 0x7F800000u) ? 0x7FFFu : (u >> 16);
  } else {
    const uint32_t a = u & 0x7FFFFFFFu;
    if (a > 0x7F800000u) bf = 0x7FFFu;
    else if (a < 0x7F800000u && (a & 0xFFFFu) != 0) bf = (a >> 16) + 1u;
    else bf = a >> 16;
  }
  uint32_t res = (bf >> 7) & 0xFFu;
  if (ceil && (bf & 0x7Fu) && ((bf & 0x7FFFu) > 0x40u) && ((bf & 0x7FFFu) < 0x7F80u)) ++res;
  res &= 0xFFu;  // the header keeps the result in an unsigned char
  if (((bf & 0x7FFFu) <= 0x7F80u) && res == 0xFFu) --res;  // satfinite: non-NaN overflow -> 2^127
  return static_cast<uint8_t>(res);
}
// 2^(b-127); b = 0 is 2^-127 (an fp32 subnormal); 0xFF is NaN.
NVFP4_HD float ue8m0_decode(uint8_t b) {
  if (b == 0xFFu) return bits_float(0x7FC00000u);
  if (b == 0) return bits_float(0x00400000u);
  return bits_float(static_cast<uint32_t>(b) << 23);
}

// ---- IEEE fp16, round to nearest even (for int4's fp16 scales), and back.
NVFP4_HD uint16_t fp16_encode(float x) {
  const uint32_t u = float_bits(x);
  const uint32_t sign = (u >> 16) & 0x8000u;
  const uint32_t a = u & 0x7FFFFFFFu;
  if (a > 0x7F800000u) return 0x7FFFu;                                  // NaN -> 0x7FFF (as the golden model)
  if (a >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // >= 65520 rounds to Inf
  if (a >= 0x38800000u) {                                               // normal half
    uint32_t r = ((a - 0x38000000u) >> 13);
    const uint32_t rest = a & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (r & 1u))) ++r;
    return static_cast<uint16_t>(sign | r);
  }
  if (a < 0x33000000u) return static_cast<uint16_t>(sign);              // < 2^-25: zero
  const uint32_t e = a >> 23;                                           // subnormal half
  const uint32_t m = (a & 0x7FFFFFu) | 0x800000u;
  const uint32_t shift = 126u - e;                                      // 14 - (e - 127) + 13 - 1 ... see below
  // value = m * 2^(e-150); half subnormal unit = 2^-24 -> units = m * 2^(e-126), i.e. m >> (126 - e)
  uint32_t r = m >> shift;
  const uint32_t rest = m & ((1u << shift) - 1u);
  const uint32_t half = 1u << (shift - 1u);
  if (rest > half || (rest == half && (r & 1u))) ++r;
  return static_cast<uint16_t>(sign | r);
}
NVFP4_HD float fp16_decode(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t e = (h >> 10) & 0x1Fu;
  const uint32_t m = h & 0x3FFu;
  if (e == 0x1Fu) return bits_float(sign | 0x7F800000u | (m << 13));
  if (e == 0) return bits_float(sign | float_bits(static_cast<float>(m) * 5.9604644775390625e-8f));  // m * 2^-24
  return bits_float(sign | ((e - 15u + 127u) << 23) | (m << 13));
}

}  // namespace nvfp4::cuda
