// Random NVFP4 tensors built directly in the storage layout (no quantizer needed), for the ecc tests.
#pragma once
#include <cstdint>
#include <random>

#include "numerics/quantized_tensor.hpp"

namespace ecc_test {

// rows x cols NVFP4 (te, B = 16, 1-D blocks): random element codes (pad nibble 0), random UE4M3 scale codes below
// 0x7F (no NaN), a random positive tensor scale.
inline nvfp4::QuantizedTensor random_nvfp4(int64_t rows, int64_t cols, uint64_t seed) {
  nvfp4::QuantizedTensor q;
  q.spec = nvfp4::QuantSpec::defaults_for(nvfp4::Scheme::NVFP4);
  q.rows = rows;
  q.cols = cols;
  std::mt19937_64 rng(seed);
  const int64_t stride = (cols + 1) / 2;
  q.codes.assign(static_cast<size_t>(rows * stride), 0);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) {
      const uint8_t code = static_cast<uint8_t>(rng() & 0xF);
      uint8_t& byte = q.codes[static_cast<size_t>(r * stride + c / 2)];
      byte = static_cast<uint8_t>(byte | (code << ((c & 1) * 4)));
    }
  }
  const int64_t bpr = (cols + 15) / 16;
  q.scales.resize(static_cast<size_t>(rows * bpr));
  for (auto& s : q.scales) s = static_cast<uint8_t>(0x20 + rng() % 0x40);
  q.tensor_scale = 0.0078125f * static_cast<float>(1 + rng() % 100);
  return q;
}

}  // namespace ecc_test
