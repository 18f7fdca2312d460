#include "numerics/cli/float_input.hpp"

#include <cmath>
#include <fstream>

#include "numerics/error.hpp"
#include "numerics/npy.hpp"

namespace nvfp4::cli {

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

bool looks_like_npz(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  char magic[2] = {0, 0};
  f.read(magic, 2);
  return f && magic[0] == 'P' && magic[1] == 'K';
}

FloatMatrix load_float_matrix(const std::string& path, const std::string& dtype) {
  if (looks_like_npz(path))
    throw Error(path + ": is a .npz archive; this needs a float .npy array (quantized .npz files are read by "
                       "dequantize, gemm and inspect)");
  const NpyArray a = read_npy(path);
  FloatMatrix m;
  m.path = path;
  m.shape = a.shape;
  if (a.shape.empty()) throw Error(path + ": a 0-d scalar is not a tensor to quantize (need 1-D or more)");
  if (a.size() == 0) throw Error(path + ": empty tensor of shape " + shape_text(a.shape));
  if (dtype == "bf16" && a.dtype != "<u2")
    throw Error(path + ": --dtype bf16 needs a <u2 array of bfloat16 bits, the file holds " + a.dtype);
  try {
    m.values = to_float32(a, dtype == "bf16");
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  m.cols = a.shape.back();
  m.rows = a.size() / m.cols;
  return m;
}

void refuse_nonfinite(const FloatMatrix& m) {
  for (size_t i = 0; i < m.values.size(); ++i) {
    if (std::isfinite(m.values[i])) continue;
    // The multi-index in the file's own shape, as NumPy would print it.
    std::vector<int64_t> idx(m.shape.size());
    int64_t rest = static_cast<int64_t>(i);
    for (size_t k = m.shape.size(); k-- > 0;) {
      idx[k] = rest % m.shape[k];
      rest /= m.shape[k];
    }
    std::string where = "[";
    for (size_t k = 0; k < idx.size(); ++k) where += (k ? ", " : "") + std::to_string(idx[k]);
    where += "]";
    const char* what = std::isnan(m.values[i]) ? "NaN" : (m.values[i] > 0 ? "+Inf" : "-Inf");
    throw Error(m.path + ": element " + where + " (flat index " + std::to_string(i) + ") is " + what +
                "; non-finite inputs are refused (--nonfinite hardware quantizes them as the hardware does)");
  }
}

}  // namespace nvfp4::cli
