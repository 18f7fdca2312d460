// Internal: constants and the global encode scale shared by the NVFP4 recipes.
#pragma once
#include <cfloat>

namespace nvfp4::detail {

inline constexpr float kFp4Max = 6.0f;
inline constexpr float kFp8Max = 448.0f;
inline constexpr float kFp4TimesFp8Max = 2688.0f;  // 6 * 448
inline constexpr float kOneSixth = 1.0f / 6.0f;    // the fp32 constant 0x3E2AAAAB

// TransformerEngine's global encode scale S_enc = min(2688 / A, FLT_MAX), 1 when A == 0 or the quotient is 0.
inline float te_encode_scale(float amax) {
  float s = kFp4TimesFp8Max / amax;
  s = s < FLT_MAX ? s : FLT_MAX;
  if (amax == 0.0f || s == 0.0f) s = 1.0f;
  return s;
}

}  // namespace nvfp4::detail
