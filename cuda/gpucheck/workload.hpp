// Tensors nvfp4-gpucheck reads from files (--a / --b). Workload tables and their generated tensors come from the
// numerics core (numerics/workload.hpp), as in every other tool.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nvfp4::gpucheck {

// A 2-D float32 tensor from .npy (any float dtype numerics/npy.hpp converts) or "file.npz:member".
struct FloatTensor {
  int64_t rows = 0, cols = 0;
  std::vector<float> data;
};
FloatTensor read_float_tensor(const std::string& spec);

}  // namespace nvfp4::gpucheck
