// The workloads nvfp4-gpucheck runs: rows of the simulator's CSV (header required, '#' comments; columns name, M, N, K,
// optionally type = gemm | conv with batch, ifmap_h, ifmap_w, channels, filter_h, filter_w, num_filters, stride,
// padding, a conv lowered to its im2col GEMM; other columns ignored) with tensors drawn from a seeded generator, or
// tensors given as .npy/.npz files.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nvfp4::gpucheck {

struct GemmRow {
  std::string name;
  int64_t m = 0, n = 0, k = 0;
  std::string where;  // "file:line"
};

// Throws nvfp4::Error naming the file and line for malformed rows, missing columns, or non-positive sizes.
std::vector<GemmRow> read_workload_csv(const std::string& path);

// Deterministic N(0, 1)-like values (Box-Muller over a SplitMix64 stream), scaled by `scale`, for `count` elements.
// Independent of <random>; libm may differ in the last bit between machines, so keep inputs with the outputs (.npy).
std::vector<float> generate_tensor(uint64_t seed, int64_t count, float scale = 1.0f);

// A 2-D float32 tensor from .npy (any float dtype numerics/npy.hpp converts) or "file.npz:member".
struct FloatTensor {
  int64_t rows = 0, cols = 0;
  std::vector<float> data;
};
FloatTensor read_float_tensor(const std::string& spec);

}  // namespace nvfp4::gpucheck
