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
  // x: rows x cols floats, row-major, cols = reduction dim. Streams over x (no copy of the input): the three steps
  // below on the whole tensor.
  QuantizedTensor quantize(const float* x, int64_t rows, int64_t cols) const;

  // The same in row chunks, for an input too large to hold as floats that can be read twice (a seeded generator,
  // nvfp4sim's LLM heads): scan every chunk (max of the results = the tensor amax), then begin() and encode the rows
  // in order. Same bits as quantize() of the whole tensor. In both calls x points at row r0 of the tensor.
  // The largest |x| of rows [r0, r0 + n) that the tensor scale needs (0 when the scheme needs none); NaN/Inf refused
  // per the spec, named by the element's row in the whole tensor.
  virtual float scan_rows(const float* x, int64_t r0, int64_t n, int64_t cols) const = 0;
  // The empty tensor (codes and scales zeroed) whose scales follow from `amax`, the max of scan_rows over all rows.
  virtual QuantizedTensor begin(int64_t rows, int64_t cols, float amax) const = 0;
  // Encodes rows [r0, r0 + n) into q, made by begin() with the same amax. 2-D block scales (16 x 16 tiles) need r0
  // a multiple of 16 and n too unless the chunk ends the tensor.
  virtual void encode_rows(const float* x, int64_t r0, int64_t n, float amax, QuantizedTensor& q) const = 0;

  // out: rows x cols floats: code * block scale * tensor scale, each product in fp32 in that order.
  virtual void dequantize(const QuantizedTensor& q, float* out) const = 0;
};

std::unique_ptr<Quantizer> make_quantizer(const QuantSpec& spec);  // throws nvfp4::Error on an invalid spec

QuantizedTensor quantize(const float* x, int64_t rows, int64_t cols, const QuantSpec& spec);
std::vector<float> dequantize(const QuantizedTensor& q);

}  // namespace nvfp4
