// UE8M0 (MXFP4 block scale, NVFP4_SPEC.md section 2): value 2^(code - 127), 0xFF = NaN, satfinite.
// Semantics of __nv_cvt_float_to_e8m0(x, __NV_SATFINITE, rz|rp) in cuda_fp8.hpp, which works on |x|:
//   NaN -> 0xFF; +-Inf and overflow -> 0xFE; zero -> 0x00;
//   rz: the biased exponent of |x| (floor(log2|x|) for normals; every float subnormal gives 0x00 = 2^-127);
//   rp: ceil(log2|x|), where the floor is 2^-127 (0x00): any |x| <= 2^-127 gives 0x00.
// The double entry point first rounds to float "to odd" (keeps a sticky bit), so rp still sees an inexact input.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"

namespace nvfp4 {

uint8_t ue8m0_from_float(float x, Round r) {
  if (r == Round::NearestEven) throw Error("ue8m0 conversion: rounding must be toward zero (rz) or toward +inf (rp)");
  if (std::isnan(x)) return 0xFF;
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  uint32_t a = bits & 0x7FFFFFFFu;
  uint32_t biased = a >> 23;
  if (biased == 0xFF) return 0xFE;  // Inf saturates
  uint32_t code = biased;
  if (r == Round::TowardPosInf) {
    if (biased == 0) {
      code = a > 0x00400000u ? 1 : 0;  // 2^-127 is the smallest UE8M0 value; above it the ceiling is 2^-126
    } else if ((a & 0x7FFFFFu) != 0) {
      code = biased + 1;
    }
  }
  return static_cast<uint8_t>(code > 0xFE ? 0xFE : code);
}

uint8_t ue8m0_from_double(double x, Round r) {
  if (std::isnan(x)) return 0xFF;
  // Round to float "to odd": truncate toward zero, then set the last bit when inexact (a sticky bit).
  float f = static_cast<float>(x);
  double back = static_cast<double>(f);
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  if (back != x) {
    if (std::fabs(back) > std::fabs(x)) --bits;
    bits |= 1u;
  }
  std::memcpy(&f, &bits, sizeof bits);
  return ue8m0_from_float(f, r);
}

float ue8m0_to_float(uint8_t code) {
  if (code == 0xFF) return std::nanf("");
  if (code == 0) return std::ldexp(1.0f, -127);  // a float subnormal
  uint32_t bits = static_cast<uint32_t>(code) << 23;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

}  // namespace nvfp4
