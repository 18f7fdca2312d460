#include "sim/run/float_reference.hpp"

#include <cmath>
#include <limits>

namespace nvfp4::sim {

std::vector<float> float_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t M, int64_t N,
                              int64_t K) {
  std::vector<float> d(static_cast<size_t>(M * N));
  const int64_t K8 = K / 8 * 8;
  for (int64_t m = 0; m < M; ++m) {
    const float* x = &a[static_cast<size_t>(m * K)];
    for (int64_t n = 0; n < N; ++n) {
      const float* y = &b[static_cast<size_t>(n * K)];
      float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      for (int64_t k = 0; k < K8; k += 8)
        for (int j = 0; j < 8; ++j) acc[j] += x[k + j] * y[k + j];
      float tail = 0;
      for (int64_t k = K8; k < K; ++k) tail += x[k] * y[k];
      d[static_cast<size_t>(m * N + n)] =
          ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
    }
  }
  return d;
}

Sqnr sqnr(const std::vector<float>& ref, const std::vector<float>& out) {
  Sqnr s;
  double sig = 0, noise = 0;
  for (size_t i = 0; i < ref.size(); ++i) {
    if (!std::isfinite(out[i])) {
      ++s.nonfinite;
      continue;
    }
    const double r = ref[i], e = static_cast<double>(out[i]) - r;
    sig += r * r;
    noise += e * e;
  }
  s.db = noise == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(sig / noise);
  return s;
}

}  // namespace nvfp4::sim
