// Scalar format conversions of NVFP4_SPEC.md sections 1-2. Codes are raw bits (uint8/uint16); values are float.
// Every function is pure and bit-exact; tests compare raw bits with the CUDA 13 header host emulation.
#pragma once
#include <cstdint>

namespace nvfp4 {

enum class Round : uint8_t {
  NearestEven,   // rn: round to nearest, ties to even
  TowardZero,    // rz
  TowardPosInf,  // rp (ceil), used by UE8M0 `rceil`
};

// ---- FP4 E2M1: s e1 e0 m, bias 1. Code in the low nibble; results always in 0x0..0xF.
// satfinite: |x| > 6 -> +-6 (Inf too); NaN -> 0x7; -0 and negatives rounding to zero -> 0x8.
uint8_t e2m1_from_float(float x, Round r = Round::NearestEven);
uint8_t e2m1_from_double(double x, Round r = Round::NearestEven);
float e2m1_to_float(uint8_t code);  // uses the low nibble only
// 2 * value of an E2M1 code: an integer in [-12, 12]. Products of two of these are exact small integers.
int e2m1_to_half_units(uint8_t code);

// ---- FP8 E4M3 (e4m3fn): bias 7, max 448, NaN 0x7F/0xFF, no Inf. satfinite RNE (cuda_fp8.hpp __NV_SATFINITE).
uint8_t e4m3_from_float(float x);
uint8_t e4m3_from_double(double x);
float e4m3_to_float(uint8_t code);
// UE4M3 (NVFP4 block scale): an E4M3 whose sign bit is ignored on decode; encode takes |x|.
uint8_t ue4m3_from_float(float x);
float ue4m3_to_float(uint8_t code);

// ---- UE8M0 (MXFP4 block scale): 2^(b-127), b in 0..254, 0xFF = NaN. satfinite; Round::TowardZero or TowardPosInf.
uint8_t ue8m0_from_float(float x, Round r);
uint8_t ue8m0_from_double(double x, Round r);
float ue8m0_to_float(uint8_t code);

// ---- FP8 E5M2 (IEEE-like, with Inf). `satfinite` as __NV_SATFINITE, else __NV_NOSAT.
uint8_t e5m2_from_float(float x, bool satfinite = true);
uint8_t e5m2_from_double(double x, bool satfinite = true);
float e5m2_to_float(uint8_t code);

// ---- 16-bit IEEE-style formats, RNE, Inf/NaN as IEEE.
uint16_t bf16_from_float(float x);
uint16_t bf16_from_double(double x);
float bf16_to_float(uint16_t bits);
uint16_t fp16_from_float(float x);
uint16_t fp16_from_double(double x);
float fp16_to_float(uint16_t bits);

}  // namespace nvfp4
