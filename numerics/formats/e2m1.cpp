// FP4 E2M1 (NVFP4_SPEC.md section 1). Rounding is done by counting how many decision points |x| passes: the grid
// has only 8 magnitudes, so 7 comparisons give the code exactly (comparisons are exact for float and double) and the
// loop vectorizes. The decision points are the midpoints between neighbours; `>` vs `>=` encodes ties-to-even.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "numerics/formats.hpp"
#include "numerics/formats/e2m1_fast.hpp"

namespace nvfp4 {
namespace {

template <typename T>
uint8_t e2m1_magnitude(T a, Round r) {
  switch (r) {
    case Round::NearestEven: return detail::e2m1_rn_magnitude(a);
    case Round::TowardZero: return detail::e2m1_rz_magnitude(a);
    case Round::TowardPosInf:
      return static_cast<uint8_t>((a > T(0)) + (a > T(0.5)) + (a > T(1)) + (a > T(1.5)) + (a > T(2)) +
                                  (a > T(3)) + (a > T(4)));
  }
  return 0;
}

template <typename T>
uint8_t e2m1_from(T x, Round r) {
  if (std::isnan(x)) return 0x7;  // NaN (either sign) -> +6, as the hardware and the CUDA header
  uint8_t sign = std::signbit(x) ? 0x8 : 0x0;
  return static_cast<uint8_t>(sign | e2m1_magnitude(std::fabs(x), r));
}

}  // namespace

uint8_t e2m1_from_float(float x, Round r) {
  if (r == Round::NearestEven) {  // the kernel the quantizers use, so the exhaustive test proves it
    uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return detail::e2m1_rn_bits(bits);
  }
  return e2m1_from(x, r);
}
uint8_t e2m1_from_double(double x, Round r) { return e2m1_from(x, r); }

float e2m1_to_float(uint8_t code) { return detail::kE2M1Values[code & 0xF]; }

int e2m1_to_half_units(uint8_t code) {
  static constexpr int kHalfUnits[8] = {0, 1, 2, 3, 4, 6, 8, 12};
  int m = kHalfUnits[code & 0x7];
  return (code & 0x8) ? -m : m;
}

}  // namespace nvfp4
