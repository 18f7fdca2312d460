// Per-block scale selection and element scaling of every quantization recipe (NVFP4_SPEC.md sections 3-4), shared by
// the quantize kernels. Each recipe is a pair of pure functions: tensor_scaling(A) once per tensor, then
// block_scaling(tensor, b) once per block; element values are scaled with scale_element() and rounded with
// round_e2m1(). All fp32 arithmetic is written out operation by operation in the order of the spec (no contraction).
#pragma once
#include "cuda/kernels/formats.cuh"
#include "cuda/kernels/philox.cuh"

namespace nvfp4::cuda {

// Which formula (mirrors nvfp4::Scheme x Recipe for the E2M1-element schemes).
enum class DevRecipe : uint8_t { TE, TorchAO, ModelOpt, Cutlass, MxFloor, MxRCeil, Fp4, Fp4Tensor, Fp8, Int4, Fp16 };

// How an element x becomes the value v that is rounded to E2M1.
enum class ElementOp : uint8_t { Mul, Div };

struct TensorScaling {
  float s_enc = 1.0f;         // te / cutlass: encode scale 2688 / A
  float g = 1.0f;             // torchao / modelopt / fp4-tensor: A / 2688 (A / 6 for fp4-tensor)
  float tensor_scale = 1.0f;  // s_tensor stored with the tensor (decode scale)
};

struct BlockScaling {
  uint16_t code = 0;  // UE4M3 or UE8M0 scale code (one byte), or int4's fp16 scale bits (two bytes)
  ElementOp op = ElementOp::Mul;
  float factor = 1.0f;
  bool unsigned_zero = false;  // ModelOpt's _cast_fp4: a scaled value equal to +-0 gets code 0x0 (not 0x8)
  bool int4 = false;           // elements are symmetric int4 (two's complement nibble), not E2M1
};

NVFP4_HD TensorScaling tensor_scaling(DevRecipe recipe, float amax) {
  TensorScaling t;
  switch (recipe) {
    case DevRecipe::TE:
    case DevRecipe::Cutlass: {
      float s_enc = min_std(div_rn(2688.0f, amax), kFltMax);
      if (amax == 0.0f || s_enc == 0.0f) s_enc = 1.0f;
      t.s_enc = s_enc;
      t.tensor_scale = double_to_float_rn(ddiv_rn(1.0, static_cast<double>(s_enc)));
      break;
    }
    case DevRecipe::TorchAO:
    case DevRecipe::ModelOpt:
      t.g = div_rn(amax, 2688.0f);
      t.tensor_scale = t.g;
      break;
    case DevRecipe::Fp4Tensor:
      t.g = div_rn(amax, 6.0f);
      if (t.g == 0.0f) t.g = 1.0f;  // A == 0 (or A / 6 underflows): elements are encoded unscaled
      t.tensor_scale = t.g;
      break;
    case DevRecipe::Fp8:
      t.g = div_rn(amax, 448.0f);
      if (t.g == 0.0f) t.g = 1.0f;
      t.tensor_scale = t.g;
      break;
    default:
      break;
  }
  return t;
}

constexpr float kOneSixth = 0.16666667163372039794921875f;  // fp32 1/6 = 0x3E2AAAAB
constexpr float kTwoPowMinus6 = 0.015625f;
constexpr float kTwoPowMinus9 = 0.001953125f;

NVFP4_HD float clampf(float v, float lo, float hi) { return min_std(max_std(v, lo), hi); }

// b = amax of the block (>= 0, finite).
NVFP4_HD BlockScaling block_scaling(DevRecipe recipe, const TensorScaling& t, float b) {
  BlockScaling s;
  switch (recipe) {
    case DevRecipe::TE: {
      s.code = ue4m3_encode(mul_rn(b, mul_rn(t.s_enc, kOneSixth)));
      const float sf = ue4m3_decode(s.code);
      s.factor = min_std(div_rn(1.0f, mul_rn(sf, t.tensor_scale)), kFltMax);
      break;
    }
    case DevRecipe::Cutlass: {
      s.code = ue4m3_encode(mul_rn(b, mul_rn(t.s_enc, kOneSixth)));
      const float sf = ue4m3_decode(s.code);
      s.factor = min_std(mul_rn(t.s_enc, div_rn(1.0f, sf)), kFltMax);
      break;
    }
    case DevRecipe::TorchAO: {
      // torchao divides by total_scale = per_tensor_scale * block scale (no subnormal block scales)
      s.code = ue4m3_encode(clampf(div_rn(div_rn(b, 6.0f), t.g), kTwoPowMinus6, 448.0f));
      s.factor = mul_rn(t.g, ue4m3_decode(s.code));
      s.op = ElementOp::Div;
      break;
    }
    case DevRecipe::ModelOpt: {
      float v = div_rn(b, mul_rn(6.0f, t.g));
      if (v == 0.0f) v = 1.0f;
      s.code = ue4m3_encode(clampf(v, kTwoPowMinus9, 448.0f));
      s.factor = mul_rn(ue4m3_decode(s.code), t.g);
      s.op = ElementOp::Div;
      s.unsigned_zero = true;
      break;
    }
    case DevRecipe::MxFloor: {
      // e = floor(log2 b) - 2 from the exponent bits (b = 0 and subnormal b give e = -127, code 0x00)
      int e = static_cast<int>((float_bits(b) >> 23) & 0xFFu) - 127 - 2;
      e = e < -127 ? -127 : (e > 127 ? 127 : e);
      s.code = static_cast<uint8_t>(e + 127);
      // 2^-e, exact (2^-127 is a subnormal); torchao's code 0x00 multiplies by 2^126 (its scale floor is 2^-126)
      s.factor = s.code == 0 ? 0x1p126f : ue8m0_decode(static_cast<uint8_t>(127 - e));
      break;
    }
    case DevRecipe::MxRCeil: {
      s.code = ue8m0_encode(mul_rn(b, kOneSixth), /*ceil=*/true);
      s.factor = ue8m0_decode(s.code);
      s.op = ElementOp::Div;
      break;
    }
    case DevRecipe::Fp4:
    case DevRecipe::Fp16:  // no scale (its own kernel)
      break;
    case DevRecipe::Fp4Tensor:
    case DevRecipe::Fp8:
      s.factor = t.g;
      s.op = ElementOp::Div;
      break;
    case DevRecipe::Int4: {
      // numerics/quant/int4_scale.cpp: s = fp16_rn(b / 7) saturated to 65504; divide by s (by 1 when s == 0)
      uint16_t h = fp16_encode(div_rn(b, 7.0f));
      if ((h & 0x7FFFu) >= 0x7C00u) h = 0x7BFF;
      const float sv = fp16_decode(h);
      s.code = h;
      s.factor = sv == 0.0f ? 1.0f : sv;
      s.op = ElementOp::Div;
      s.int4 = true;
      break;
    }
  }
  return s;
}

NVFP4_HD float scale_element(const BlockScaling& s, float x) {
  switch (s.op) {
    case ElementOp::Mul: return mul_rn(x, s.factor);
    case ElementOp::Div: return div_rn(x, s.factor);
  }
  return x;
}

// Stochastic rounding to E2M1 (spec section 3, rounding `sr`): for lo <= |v| < hi, round away from zero iff
// (u >> 8) < f * 2^24 with f = (|v| - lo) / (hi - lo). |v| >= 6 saturates; the sign is kept as in rn.
NVFP4_HD uint8_t e2m1_stochastic(float v, uint32_t u) {
  const uint32_t bits = float_bits(v);
  const uint8_t sign = static_cast<uint8_t>((bits >> 31) << 3);
  const float a = bits_float(bits & 0x7FFFFFFFu);
  if (!(a < 6.0f)) return static_cast<uint8_t>(a != a ? 0x7u : (sign | 0x7u));
  // magnitude codes 0..7 are 0, 0.5, 1, 1.5, 2, 3, 4, 6; lo = the largest <= a
  uint8_t lo_code;
  float lo, step;
  if (a < 2.0f) {
    lo_code = static_cast<uint8_t>(a * 2.0f);  // exact: a < 2, truncation gives the half-unit index
    lo = static_cast<float>(lo_code) * 0.5f;
    step = 0.5f;
  } else if (a < 4.0f) {
    lo_code = a < 3.0f ? 4 : 5;
    lo = a < 3.0f ? 2.0f : 3.0f;
    step = 1.0f;
  } else {
    lo_code = 6;
    lo = 4.0f;
    step = 2.0f;
  }
  const float f = div_rn(sub_rn(a, lo), step);               // exact
  const float threshold = mul_rn(f, 16777216.0f);            // f * 2^24, exact
  const bool up = static_cast<float>(u >> 8) < threshold;   // u >> 8 < 2^24 converts exactly
  const uint8_t mag = static_cast<uint8_t>(lo_code + (up ? 1 : 0));
  return static_cast<uint8_t>(sign | mag);
}

NVFP4_HD uint8_t round_e2m1(float v, bool stochastic, uint64_t seed, uint64_t index) {
  return stochastic ? e2m1_stochastic(v, philox_word0(seed, index)) : e2m1_encode_rn_fast(v);
}

// E4M3 with stochastic rounding (the golden model's e4m3_sr, numerics/quant/per_tensor.cpp): lo = |v| rounded toward
// zero on the E4M3 grid, hi the next code (one ulp up, a power of two); |v| >= 448 saturates, NaN -> 0x7F.
NVFP4_HD uint8_t e4m3_stochastic(float v, uint32_t u) {
  if (v != v) return 0x7F;
  const uint32_t bits = float_bits(v);
  const uint8_t sign = static_cast<uint8_t>((bits >> 31) << 7);
  const float a = bits_float(bits & 0x7FFFFFFFu);
  if (a >= 448.0f) return static_cast<uint8_t>(sign | 0x7E);
  uint8_t lo = e4m3_encode(a);                  // round to nearest; step back when that went up
  if (e4m3_decode(lo) > a) lo = static_cast<uint8_t>(lo - 1);
  const float lo_v = e4m3_decode(lo), hi_v = e4m3_decode(static_cast<uint8_t>(lo + 1));
  const float f = div_rn(sub_rn(a, lo_v), sub_rn(hi_v, lo_v));
  const bool up = static_cast<float>(u >> 8) < mul_rn(f, 16777216.0f);
  return static_cast<uint8_t>(sign | (lo + (up ? 1 : 0)));
}

// Symmetric int4 (numerics/quant/element_codes.hpp int4_rn / int4_sr): round half to even (or stochastically),
// saturate at +-7, NaN -> 0, two's complement nibble.
NVFP4_HD uint8_t int4_encode(float v, bool stochastic, uint32_t u) {
  if (v != v) return 0;
  const bool neg = (float_bits(v) >> 31) != 0;
  const float a = bits_float(float_bits(v) & 0x7FFFFFFFu);
  int q;
  if (!stochastic) {
    const float c = a > 7.0f ? 7.0f : a;
    q = static_cast<int>(sub_rn(add_rn(c, 12582912.0f), 12582912.0f));  // 1.5 * 2^23: RNE to an integer
  } else if (a >= 7.0f) {
    q = 7;
  } else {
    const float lo = static_cast<float>(static_cast<int>(a));  // floor: a >= 0
    const float f = div_rn(sub_rn(a, lo), 1.0f);
    q = static_cast<int>(lo) + ((static_cast<float>(u >> 8) < mul_rn(f, 16777216.0f)) ? 1 : 0);
  }
  return static_cast<uint8_t>((neg ? -q : q) & 0xF);
}

// x -> element code of a block: scale, round (rn or sr), and ModelOpt's unsigned zero.
NVFP4_HD uint8_t quantize_element(const BlockScaling& s, float x, bool stochastic, uint64_t seed, uint64_t index) {
  const float v = scale_element(s, x);
  if (s.int4) return int4_encode(v, stochastic, stochastic ? philox_word0(seed, index) : 0u);
  const uint8_t c = round_e2m1(v, stochastic, seed, index);
  return (s.unsigned_zero && v == 0.0f) ? uint8_t{0} : c;
}

}  // namespace nvfp4::cuda
