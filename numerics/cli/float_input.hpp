// Float tensors read from .npy files, viewed as rows x cols matrices (cols = the last dimension = reduction dim K).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nvfp4::cli {

struct FloatMatrix {
  std::string path;
  std::vector<int64_t> shape;  // as stored in the file
  int64_t rows = 0, cols = 0;  // 1-D: 1 x n; N-D: prod(leading dims) x last dim
  std::vector<float> values;   // row-major
};

// Reads a float .npy (dtype "auto" or "bf16"); throws nvfp4::Error naming the file on a wrong dtype or empty tensor.
FloatMatrix load_float_matrix(const std::string& path, const std::string& dtype);

// Throws nvfp4::Error naming the file and the index of the first NaN or Inf.
void refuse_nonfinite(const FloatMatrix& m);

std::string shape_text(const std::vector<int64_t>& shape);  // "(2, 3)"
bool looks_like_npz(const std::string& path);                // starts with the zip magic "PK"

}  // namespace nvfp4::cli
