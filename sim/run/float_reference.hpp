// The float reference of a layer (unquantized inputs) and the output SQNR against it.
#pragma once
#include <cstdint>
#include <vector>

namespace nvfp4::sim {

// d = a x b^T in float: OpenBLAS cblas_sgemm on one thread (deterministic for a given OpenBLAS build and CPU kernel).
// a: M x K, b: N x K, row-major.
std::vector<float> float_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t M, int64_t N,
                              int64_t K);

struct Sqnr {
  double db = 0;          // 10 log10(sum ref^2 / sum (out - ref)^2) over finite outputs; +inf when equal
  int64_t nonfinite = 0;  // outputs that are NaN or Inf (left out of db)
};
Sqnr sqnr(const std::vector<float>& reference, const std::vector<float>& out);

}  // namespace nvfp4::sim
