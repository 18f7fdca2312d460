// fp4 / fp4-tensor / fp8 / fp16 quantizers. The tensor scale s (stored as tensor_scale) is
//   fp4: 1;  fp4-tensor: A / 6;  fp8: A / 448;  fp16: 1     (s = 1 when the quotient is 0, e.g. A == 0)
// and each element is encoded from v = x / s (for s == 1 that is x itself, exactly).
#include "numerics/quant/per_tensor.hpp"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "numerics/error.hpp"
#include "numerics/formats.hpp"
#include "numerics/formats/round_to_grid.hpp"
#include "numerics/quant/philox_batch.hpp"
#include "numerics/quant/element_codes.hpp"
#include "numerics/quant/tensor_scan.hpp"

namespace nvfp4::detail {
namespace {

// E4M3 with stochastic rounding: lo = |v| rounded toward zero on the E4M3 grid, hi = the next code up (one ulp,
// a power of two); saturation at 448 and NaN -> 0x7F as in rn.
uint8_t e4m3_sr(float v, uint32_t u) {
  if (v != v) return 0x7F;
  const uint8_t sign = static_cast<uint8_t>(sign_bit_of(v) << 7);
  const float a = std::fabs(v);
  if (a >= 448.0f) return static_cast<uint8_t>(sign | 0x7E);
  uint32_t bits;
  std::memcpy(&bits, &a, sizeof bits);
  uint64_t sig;
  int exp2;
  split_float(bits, sig, exp2);
  const uint32_t lo = round_magnitude(sig, exp2, GridFormat{3, -6}, Round::TowardZero);
  const bool up = sr_round_up(a, e4m3_to_float(static_cast<uint8_t>(lo)), e4m3_to_float(static_cast<uint8_t>(lo + 1)), u);
  return static_cast<uint8_t>(sign | (lo + up));
}

float tensor_scale_for(Scheme s, float amax) {
  float t = 1.0f;
  if (s == Scheme::FP4Tensor) t = amax / 6.0f;
  if (s == Scheme::FP8) t = amax / 448.0f;
  return t == 0.0f ? 1.0f : t;
}

}  // namespace

PerTensorQuantizer::PerTensorQuantizer(const QuantSpec& spec) : spec_(spec) { spec_.validate(); }

float PerTensorQuantizer::scan_rows(const float* x, int64_t r0, int64_t n, int64_t cols) const {
  const bool follow = spec_.follow_hardware_on_nonfinite;
  if (spec_.scheme == Scheme::FP4Tensor || spec_.scheme == Scheme::FP8) return tensor_amax(x, n, cols, follow, r0);
  check_finite(x, n, cols, follow, r0);
  return 0.0f;
}

QuantizedTensor PerTensorQuantizer::begin(int64_t rows, int64_t cols, float amax) const {
  check_shape(rows, cols);
  QuantizedTensor q;
  q.spec = spec_;
  q.rows = rows;
  q.cols = cols;
  q.tensor_scale = tensor_scale_for(spec_.scheme, amax);
  q.codes.assign(static_cast<size_t>(rows * q.row_stride_bytes()), 0);
  return q;
}

void PerTensorQuantizer::encode_rows(const float* x, int64_t r0, int64_t n, float amax, QuantizedTensor& q) const {
  if (r0 < 0 || n < 0 || r0 + n > q.rows) throw Error("quantize: rows outside the tensor");
  const Scheme s = spec_.scheme;
  const float ts = tensor_scale_for(s, amax);
  if (std::memcmp(&ts, &q.tensor_scale, sizeof ts) != 0)
    throw Error("quantize: encode_rows with an amax other than begin()'s");
  const int64_t cols = q.cols;
  const int64_t stride = q.row_stride_bytes();
  const bool sr = spec_.rounding == Rounding::SR;
  std::vector<uint32_t> words(sr ? static_cast<size_t>(cols) : 0);  // one row of SR random words

  for (int64_t r = r0; r < r0 + n; ++r) {
    const float* xr = x + (r - r0) * cols;
    uint8_t* out = q.codes.data() + r * stride;
    if (sr) sr_random_words(spec_.seed, static_cast<uint64_t>(r * cols), cols, words.data());
    for (int64_t c = 0; c < cols; ++c) {
      const float v = xr[c] / ts;
      const uint32_t u = sr ? words[static_cast<size_t>(c)] : 0u;
      switch (s) {
        case Scheme::FP16: {
          const uint16_t h = fp16_from_float(v);
          out[2 * c] = static_cast<uint8_t>(h);
          out[2 * c + 1] = static_cast<uint8_t>(h >> 8);
          break;
        }
        case Scheme::FP8: out[c] = sr ? e4m3_sr(v, u) : e4m3_from_float(v); break;
        default: {
          const uint8_t e = sr ? e2m1_sr(v, u) : e2m1_rn(v);
          out[c / 2] = static_cast<uint8_t>((c & 1) ? (out[c / 2] | (e << 4)) : e);
          break;
        }
      }
    }
  }
}

void PerTensorQuantizer::dequantize(const QuantizedTensor& q, float* out) const {
  if (q.spec.scheme != spec_.scheme)
    throw Error("dequantize: tensor is " + q.spec.describe() + " but the quantizer is " + spec_.describe());
  if (q.codes.size() != static_cast<size_t>(q.rows * q.row_stride_bytes()))
    throw Error("dequantize: codes size does not match the shape " + std::to_string(q.rows) + " x " +
                std::to_string(q.cols));
  for (int64_t r = 0; r < q.rows; ++r)
    for (int64_t c = 0; c < q.cols; ++c) out[r * q.cols + c] = (q.value(r, c) * 1.0f) * q.tensor_scale;
}

}  // namespace nvfp4::detail
