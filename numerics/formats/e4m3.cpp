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
  return static_cast<uint8_t>(sign | saturate_e4m3(detail::round_magnitude(sig, exp2, 53, kE4M3, Round::NearestEven)));
}

uint8_t e4m3_from_float(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x)) return 0x7F;
  uint8_t sign = static_cast<uint8_t>((bits >> 31) << 7);
  if (std::isinf(x)) return static_cast<uint8_t>(sign | kE4M3MaxFinite);
  uint64_t sig;
  int exp2;
  detail::split_float(bits, sig, exp2);
  return static_cast<uint8_t>(sign | saturate_e4m3(detail::round_magnitude(sig, exp2, 24, kE4M3, Round::NearestEven)));
}

float e4m3_to_float(uint8_t code) {
  static const std::array<float, 256> table = make_e4m3_table();
  return table[code];
}

uint8_t ue4m3_from_float(float x) { return e4m3_from_float(std::fabs(x)); }
float ue4m3_to_float(uint8_t code) { return e4m3_to_float(static_cast<uint8_t>(code & 0x7F)); }

}  // namespace nvfp4
