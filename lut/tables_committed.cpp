// Spans over the committed generated tables (lut/generated/lut_tables.hpp), which the multipliers read.
#include "lut/generated/lut_tables.hpp"
#include "lut/tables.hpp"
#include "numerics/error.hpp"

namespace nvfp4::lut {

std::span<const uint16_t> committed_mantissa_table(WeightFormat w) {
  switch (w) {
    case WeightFormat::E2M1: return generated::mant_e2m1_e2m1;
    case WeightFormat::E4M3: return generated::mant_e2m1_e4m3;
    case WeightFormat::FP16: return generated::mant_e2m1_fp16;
  }
  throw Error("weight format: invalid enum value");
}

std::span<const uint8_t> committed_slice_table(int slice_bits) {
  switch (slice_bits) {
    case 2: return generated::slice2_e2m1;
    case 3: return generated::slice3_e2m1;
    case 4: return generated::slice4_e2m1;
  }
  throw Error("slice width: " + std::to_string(slice_bits) + " bits has no table (accepted: 2, 3, 4)");
}

std::span<const int32_t> committed_full_product_table(WeightFormat w) {
  switch (w) {
    case WeightFormat::E2M1: return generated::full_e2m1_e2m1;
    case WeightFormat::E4M3: return generated::full_e2m1_e4m3;
    case WeightFormat::FP16: break;
  }
  throw Error("weight format: fp16 has no full-product table (2^20 entries); use mantissa-lut or split-lut:S");
}

std::span<const uint8_t> committed_scale_mantissa_table() { return generated::scale_mant_3x3; }

}  // namespace nvfp4::lut
