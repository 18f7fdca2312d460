// FP8 E4M3 (e4m3fn) and UE4M3 (NVFP4_SPEC.md section 2): satfinite round-to-nearest-even, as __NV_SATFINITE in
// cuda_fp8.hpp. NaN -> 0x7F (the float entry point makes NaN positive first, as the header does; the double entry
// point keeps the NaN's sign: 0x7F or 0xFF).
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "numerics/formats.hpp"
#include "numerics/formats/round_to_grid.hpp"

namespace nvfp4 {
namespace {

constexpr detail::GridFormat kE4M3{3, -6};
constexpr uint32_t kE4M3MaxFinite = 0x7E;  // 448

uint8_t saturate_e4m3(uint32_t magnitude_code) {
  return static_cast<uint8_t>(magnitude_code > kE4M3MaxFinite ? kE4M3MaxFinite : magnitude_code);
}

std::array<float, 256> make_e4m3_table() {
  std::array<float, 256> t{};
  for (int c = 0; c < 256; ++c) {
    int e = (c >> 3) & 0xF, m = c & 7;
    float v = (e == 0) ? std::ldexp(static_cast<float>(m), -9) : std::ldexp(static_cast<float>(8 + m), e - 10);
    if ((c & 0x7F) == 0x7F) v = std::nanf("");
    t[c] = (c & 0x80) ? -v : v;
  }
  return t;
}

}  // namespace

uint8_t e4m3_from_double(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  uint8_t sign = static_cast<uint8_t>((bits >> 63) << 7);
  if (std::isnan(x)) return static_cast<uint8_t>(sign | 0x7F);
  if (std::isinf(x)) return static_cast<uint8_t>(sign | kE4M3MaxFinite);
  uint64_t sig;
  int exp2;
  detail::split_double(bits, sig, exp2);
  return static_cast<uint8_t>(sign | saturate_e4m3(detail::round_magnitude(sig, exp2, kE4M3, Round::NearestEven)));
}

// Float entry point, on the quantizers' per-block path, so it avoids the generic grid rounding:
//   normal range (|x| >= 2^-6): round the 23-bit fraction to 3 bits in place with the usual RNE carry trick
//     (add 0x7FFFF plus the lowest kept bit, shift out 20 bits); the carry moves into the exponent by itself;
//     rebias 127 -> 7 (subtract 120 << 3); anything beyond 0x7E (448) saturates, Inf included;
//   subnormal range: |x| * 2^9 is exact and < 8, and adding/subtracting 2^23 rounds it to an integer with RNE,
//     which is the code (8 = the smallest normal, 0x08, also correct).
// The exhaustive test compares this with the CUDA header for all 2^32 inputs.
uint8_t e4m3_from_float(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  const uint32_t ab = bits & 0x7FFFFFFFu;
  if (ab > 0x7F800000u) return 0x7F;  // NaN (any sign) -> +NaN, as the header's float entry point
  const uint8_t sign = static_cast<uint8_t>((bits >> 31) << 7);
  uint32_t code;
  if (ab >= 0x3C800000u) {  // 2^-6
    code = ((ab + 0x7FFFFu + ((ab >> 20) & 1u)) >> 20) - (120u << 3);
    code = code > kE4M3MaxFinite ? kE4M3MaxFinite : code;
  } else {
    float a;
    std::memcpy(&a, &ab, sizeof a);
    code = static_cast<uint32_t>((a * 512.0f + 8388608.0f) - 8388608.0f);
  }
  return static_cast<uint8_t>(sign | code);
}

float e4m3_to_float(uint8_t code) {
  static const std::array<float, 256> table = make_e4m3_table();
  return table[code];
}

uint8_t ue4m3_from_float(float x) { return e4m3_from_float(std::fabs(x)); }
float ue4m3_to_float(uint8_t code) { return e4m3_to_float(static_cast<uint8_t>(code & 0x7F)); }

}  // namespace nvfp4
