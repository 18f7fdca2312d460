// Quantize and dequantize (NVFP4_SPEC.md sections 3-4). One recipe per source file behind the `Quantizer` interface;
// these free functions pick the implementation from the spec.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "numerics/quantized_tensor.hpp"

namespace nvfp4 {

class Quantizer {
 public:
  virtual ~Quantizer() = default;
  // x: rows x cols floats, row-major, cols = reduction dim. Streams over x (no copy of the input).
  virtual QuantizedTensor quantize(const float* x, int64_t rows, int64_t cols) const = 0;
  // out: rows x cols floats: code * block scale * tensor scale, each product in fp32 in that order.
  virtual void dequantize(const QuantizedTensor& q, float* out) const = 0;
};

std::unique_ptr<Quantizer> make_quantizer(const QuantSpec& spec);  // throws nvfp4::Error on an invalid spec

QuantizedTensor quantize(const float* x, int64_t rows, int64_t cols, const QuantSpec& spec);
std::vector<float> dequantize(const QuantizedTensor& q);

}  // namespace nvfp4
