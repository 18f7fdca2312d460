// The demo's built-in tensors, generated in code from a fixed seed (no files needed): LLM-like activations (unit
// Gaussian with a few outlier channels, the case per-block scaling is for) and small Gaussian weights.
#pragma once
#include <cstdint>
#include <vector>

namespace nvfp4::cli {

// rows x cols, row-major. Same seed -> same values on every machine with IEEE float and a conforming libm.
std::vector<float> sample_activations(int64_t rows, int64_t cols, uint64_t seed);
std::vector<float> sample_weights(int64_t rows, int64_t cols, uint64_t seed);

// Columns of sample_activations scaled up as outlier channels.
std::vector<int64_t> outlier_channels(int64_t cols);
constexpr float kOutlierGain = 20.0f;
constexpr float kWeightSigma = 0.02f;

}  // namespace nvfp4::cli
