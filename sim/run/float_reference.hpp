// The float reference of a layer (unquantized inputs) and the output SQNR against it.
#pragma once
#include <cstdint>
#include <vector>

namespace nvfp4::sim {

// d = a x b^T in float (8 independent partial sums per dot product, added in a fixed order). a: M x K, b: N x K.
std::vector<float> float_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t M, int64_t N,
                              int64_t K);

struct Sqnr {
  double db = 0;          // 10 log10(sum ref^2 / sum (out - ref)^2) over finite outputs; +inf when equal
  int64_t nonfinite = 0;  // outputs that are NaN or Inf (left out of db)
};
Sqnr sqnr(const std::vector<float>& reference, const std::vector<float>& out);

}  // namespace nvfp4::sim
