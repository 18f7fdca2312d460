// FP8 E5M2, BF16 and FP16 (NVFP4_SPEC.md section 2): IEEE-style formats with Inf, round to nearest even, exactly as
// the host paths of cuda_fp8.hpp / cuda_bf16.hpp / cuda_fp16.hpp:
//   NaN -> 0x7FFF (bf16, fp16), 0x7F (e5m2 from float); e5m2 from double keeps the NaN's sign and top fraction bits;
//   overflow -> Inf, except e5m2 satfinite (-> +-57344, 0x7B).
// The double entry points round once, directly from double (no double rounding through float).
#include <cmath>
#include <cstdint>
#include <cstring>

#include "numerics/formats.hpp"
#include "numerics/formats/round_to_grid.hpp"

namespace nvfp4 {
namespace {

constexpr detail::GridFormat kE5M2{2, -14};
constexpr detail::GridFormat kBF16{7, -126};
constexpr detail::GridFormat kFP16{10, -14};

// Rounds a finite value given as raw bits of a float (is_double = false) or double to an IEEE-like target whose
// infinity code is `inf_code`; overflow gives inf_code (callers saturate where they must).
template <typename Bits>
uint32_t round_finite(Bits bits, bool is_double, detail::GridFormat f, uint32_t inf_code) {
  uint64_t sig;
  int exp2;
  if (is_double)
    detail::split_double(static_cast<uint64_t>(bits), sig, exp2);
  else
    detail::split_float(static_cast<uint32_t>(bits), sig, exp2);
  uint32_t c = detail::round_magnitude(sig, exp2, f, Round::NearestEven);
  return c > inf_code ? inf_code : c;
}

uint8_t e5m2_finite(uint32_t magnitude_code, bool satfinite) {
  if (magnitude_code > 0x7B) return satfinite ? 0x7B : 0x7C;
  return static_cast<uint8_t>(magnitude_code);
}

float ldexp_exact(int mant, int e) { return std::ldexp(static_cast<float>(mant), e); }

}  // namespace

uint8_t e5m2_from_float(float x, bool satfinite) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x)) return 0x7F;
  uint8_t sign = static_cast<uint8_t>((bits >> 31) << 7);
  if (std::isinf(x)) return static_cast<uint8_t>(sign | (satfinite ? 0x7B : 0x7C));
  return static_cast<uint8_t>(sign | e5m2_finite(round_finite(bits & 0x7FFFFFFFu, false, kE5M2, 0x7C), satfinite));
}

uint8_t e5m2_from_double(double x, bool satfinite) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  uint8_t sign = static_cast<uint8_t>((bits >> 63) << 7);
  if (std::isnan(x)) return static_cast<uint8_t>(sign | 0x7E | ((bits >> 50) & 0x3));
  if (std::isinf(x)) return static_cast<uint8_t>(sign | (satfinite ? 0x7B : 0x7C));
  return static_cast<uint8_t>(sign | e5m2_finite(round_finite(bits, true, kE5M2, 0x7C), satfinite));
}

float e5m2_to_float(uint8_t code) { return fp16_to_float(static_cast<uint16_t>(code << 8)); }

uint16_t bf16_from_float(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x)) return 0x7FFF;
  uint16_t sign = static_cast<uint16_t>((bits >> 31) << 15);
  if (std::isinf(x)) return static_cast<uint16_t>(sign | 0x7F80);
  return static_cast<uint16_t>(sign | round_finite(bits & 0x7FFFFFFFu, false, kBF16, 0x7F80));
}

uint16_t bf16_from_double(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x)) return 0x7FFF;
  uint16_t sign = static_cast<uint16_t>((bits >> 63) << 15);
  if (std::isinf(x)) return static_cast<uint16_t>(sign | 0x7F80);
  return static_cast<uint16_t>(sign | round_finite(bits, true, kBF16, 0x7F80));
}

float bf16_to_float(uint16_t b) {
  uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

uint16_t fp16_from_float(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x)) return 0x7FFF;
  uint16_t sign = static_cast<uint16_t>((bits >> 31) << 15);
  if (std::isinf(x)) return static_cast<uint16_t>(sign | 0x7C00);
  return static_cast<uint16_t>(sign | round_finite(bits & 0x7FFFFFFFu, false, kFP16, 0x7C00));
}

uint16_t fp16_from_double(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x)) return 0x7FFF;
  uint16_t sign = static_cast<uint16_t>((bits >> 63) << 15);
  if (std::isinf(x)) return static_cast<uint16_t>(sign | 0x7C00);
  return static_cast<uint16_t>(sign | round_finite(bits, true, kFP16, 0x7C00));
}

float fp16_to_float(uint16_t h) {
  int e = (h >> 10) & 0x1F, m = h & 0x3FF;
  float v;
  if (e == 0x1F) {
    if (m == 0) {
      v = INFINITY;
    } else {  // quiet NaN keeping the payload, as a hardware widening does
      uint32_t bits = 0x7FC00000u | (static_cast<uint32_t>(m) << 13);
      std::memcpy(&v, &bits, sizeof v);
    }
  } else if (e == 0) {
    v = ldexp_exact(m, -24);
  } else {
    v = ldexp_exact(1024 + m, e - 25);
  }
  return (h & 0x8000) ? -v : v;
}

}  // namespace nvfp4
