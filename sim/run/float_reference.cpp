#include "sim/run/float_reference.hpp"

#include <cblas.h>

#include <cmath>
#include <mutex>
#include <limits>

namespace nvfp4::sim {

std::vector<float> float_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t M, int64_t N,
                              int64_t K) {
  // One OpenBLAS thread per call: the simulator parallelizes over layers itself (--threads), and a fixed thread count
  // keeps the reference (and the SQNR in the reports) the same bits on every run.
  static std::once_flag one_thread;
  std::call_once(one_thread, [] { openblas_set_num_threads(1); });
  std::vector<float> d(static_cast<size_t>(M * N));
  if (M == 0 || N == 0) return d;
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(M), static_cast<blasint>(N),
              static_cast<blasint>(K), 1.0f, a.data(), static_cast<blasint>(K), b.data(), static_cast<blasint>(K), 0.0f,
              d.data(), static_cast<blasint>(N));
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
