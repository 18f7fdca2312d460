// Test tensors for the engine checks: quantized synthetic data ("real-ish": heavy-tailed activations with outlier
// channels, Gaussian weights) and raw random codes/scales that reach every code, including NaN scales.
#pragma once
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "numerics/quantize.hpp"
#include "numerics/quantized_tensor.hpp"

namespace nvfp4::lut::testing {

inline std::vector<float> realish_activations(int64_t rows, int64_t cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::student_t_distribution<float> heavy(3.0f);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      float v = heavy(rng);
      if (c % 97 == 5) v *= 40.0f;  // outlier channels, as in LLM activations
      x[static_cast<size_t>(r * cols + c)] = v;
    }
  return x;
}

inline std::vector<float> gaussian_weights(int64_t rows, int64_t cols, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 0.02f);
  std::vector<float> x(static_cast<size_t>(rows * cols));
  for (auto& v : x) v = g(rng);
  return x;
}

inline QuantizedTensor quantized(const std::vector<float>& x, int64_t rows, int64_t cols, Scheme s, int block = 16,
                                 bool block_2d = false) {
  QuantSpec spec = QuantSpec::defaults_for(s);
  if (s == Scheme::NVFP4) {
    spec.block = block;
    spec.block_2d = block_2d;
  }
  return quantize(x.data(), rows, cols, spec);
}

// Raw random codes and scales of an NVFP4 tensor: every E2M1 code, scales over all finite UE4M3 codes, and a NaN
// scale (0x7F) with probability nan_per_mille / 1000.
inline QuantizedTensor random_nvfp4(int64_t rows, int64_t cols, uint32_t seed, int nan_per_mille = 0, int block = 16) {
  std::vector<float> zeros(static_cast<size_t>(rows * cols), 1.0f);
  QuantizedTensor t = quantized(zeros, rows, cols, Scheme::NVFP4, block);
  std::mt19937 rng(seed);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) t.set_code(r, c, static_cast<uint8_t>(rng() & 0xF));
  for (auto& s : t.scales) {
    s = static_cast<uint8_t>(rng() % 0x7F);  // finite UE4M3 codes 0x00..0x7E
    if (static_cast<int>(rng() % 1000) < nan_per_mille) s = 0x7F;
  }
  t.tensor_scale = 0.75f;
  return t;
}

}  // namespace nvfp4::lut::testing
