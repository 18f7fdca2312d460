// Internal: inline E2M1 rounding kernels shared by the scalar conversion and the quantizers' hot loops.
// Magnitude in, 3-bit code out; NaN handling and the sign are the caller's business.
#pragma once
#include <cstdint>

namespace nvfp4::detail {

inline constexpr float kE2M1Values[16] = {0.0f,  0.5f,  1.0f,  1.5f,  2.0f,  3.0f,  4.0f,  6.0f,
                                          -0.0f, -0.5f, -1.0f, -1.5f, -2.0f, -3.0f, -4.0f, -6.0f};

// Round to nearest, ties to even, saturating at 6 (Inf -> 6). Decision points: 0.25 (tie -> 0, even), 0.75 (tie -> 1),
// 1.25 (-> 1), 1.75 (-> 2), 2.5 (-> 2), 3.5 (-> 4), 5 (-> 4). A NaN magnitude gives 0 (callers map NaN first).
template <typename T>
inline uint8_t e2m1_rn_magnitude(T a) {
  return static_cast<uint8_t>((a > T(0.25)) + (a >= T(0.75)) + (a > T(1.25)) + (a >= T(1.75)) + (a > T(2.5)) +
                              (a >= T(3.5)) + (a > T(5)));
}

// The thresholds of e2m1_rn_bits below as "the code is the number of them the magnitude bits are above" (">= T" is
// "> T - 1" on integers), also for SIMD kernels that count with one compare each.
inline constexpr int32_t kE2M1RnAbove[7] = {0x3E800000, 0x3F400000 - 1, 0x3FA00000, 0x3FE00000 - 1,
                                            0x40200000, 0x40600000 - 1, 0x40A00000};

// The same round-to-nearest-even on raw fp32 bits, integer compares only (vectorizes on any SIMD width): for
// non-negative floats the bit patterns are ordered like the values, and NaN patterns lie above +Inf, so a NaN
// magnitude counts as above every threshold (-> 7). Returns the full code: sign kept, except NaN -> 0x7.
// Thresholds: 0x3E800000 = 0.25, 0x3F400000 = 0.75, 0x3FA00000 = 1.25, 0x3FE00000 = 1.75, 0x40200000 = 2.5,
// 0x40600000 = 3.5, 0x40A00000 = 5.
inline uint8_t e2m1_rn_bits(uint32_t bits) {
  const int32_t ab = static_cast<int32_t>(bits & 0x7FFFFFFFu);
  int32_t m = 0;
  for (int32_t t : kE2M1RnAbove) m += ab > t;
  const int32_t sign = static_cast<int32_t>(bits >> 31) & (ab <= 0x7F800000);  // NaN loses its sign
  return static_cast<uint8_t>(m | (sign << 3));
}

// Round toward zero, saturating at 6.
template <typename T>
inline uint8_t e2m1_rz_magnitude(T a) {
  return static_cast<uint8_t>((a >= T(0.5)) + (a >= T(1)) + (a >= T(1.5)) + (a >= T(2)) + (a >= T(3)) +
                              (a >= T(4)) + (a >= T(6)));
}

}  // namespace nvfp4::detail
