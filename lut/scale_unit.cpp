#include "lut/scale_unit.hpp"

#include "lut/tables.hpp"

namespace nvfp4::lut {

ScaleProduct scale_multiply(uint8_t sa_code, uint8_t sb_code) {
  const uint32_t a = sa_code & 0x7Fu, b = sb_code & 0x7Fu;  // UE4M3: sign bit ignored
  ScaleProduct p;
  p.nan = a == 0x7Fu || b == 0x7Fu;
  const uint32_t ea = a >> 3, eb = b >> 3, ma = a & 7u, mb = b & 7u;
  const uint32_t ha = ea != 0, hb = eb != 0;
  const uint32_t cross = (ha ? mb : 0u) + (hb ? ma : 0u);  // AND gates, added
  p.prod = ((ha & hb) << 6) + (cross << 3) + committed_scale_mantissa_table()[ma << 3 | mb];
  p.exp_sum = static_cast<int>((ea ? ea : 1u) + (eb ? eb : 1u));
  return p;
}

}  // namespace nvfp4::lut
