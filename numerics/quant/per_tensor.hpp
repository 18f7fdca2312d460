// Internal: quantizers without block scales (NVFP4_SPEC.md section 3, baselines): `fp4` (E2M1, no scale),
// `fp4-tensor` (E2M1, tensor scale A/6), `fp8` (E4M3, tensor scale A/448) and `fp16` (IEEE half, no scale).
#pragma once
#include "numerics/quantize.hpp"

namespace nvfp4::detail {

class PerTensorQuantizer final : public Quantizer {
 public:
  explicit PerTensorQuantizer(const QuantSpec& spec);
  float scan_rows(const float* x, int64_t r0, int64_t n, int64_t cols) const override;
  QuantizedTensor begin(int64_t rows, int64_t cols, float amax) const override;
  void encode_rows(const float* x, int64_t r0, int64_t n, float amax, QuantizedTensor& q) const override;
  void dequantize(const QuantizedTensor& q, float* out) const override;

 private:
  QuantSpec spec_;
};

}  // namespace nvfp4::detail
