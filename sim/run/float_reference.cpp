#include "sim/run/float_reference.hpp"

#include <cblas.h>
#include <dlfcn.h>

#include <cmath>
#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "numerics/error.hpp"

namespace nvfp4::sim {

namespace {

// OpenBLAS opened on first use instead of linked: loading a pthread build costs a few ms of CPU at start-up (~14,000
// symbol relocations of its per-CPU kernel tables, its initialisation, and a worker thread per further core that spins
// in sched_yield until told to stop), which every run without the float reference paid for nothing.
struct Blas {
  decltype(&cblas_sgemm) sgemm = nullptr;
};

const Blas& blas() {
  static const Blas loaded = [] {
    void* lib = nullptr;
    std::string why;
    for (const char* name : {NVFP4_OPENBLAS_LIBRARY, "libopenblas.so.0"}) {
      if ((lib = dlopen(name, RTLD_NOW | RTLD_LOCAL))) break;
      why += std::string(why.empty() ? "" : "; ") + dlerror();
    }
    if (!lib)
      throw Error("the float reference (run.float_reference) needs OpenBLAS (Debian libopenblas-dev, "
                  "scripts/deps/apt-sim.txt): " + why);
    Blas b;
    b.sgemm = reinterpret_cast<decltype(&cblas_sgemm)>(dlsym(lib, "cblas_sgemm"));
    auto set_threads = reinterpret_cast<decltype(&openblas_set_num_threads)>(dlsym(lib, "openblas_set_num_threads"));
    if (!b.sgemm || !set_threads)
      throw Error("the float reference: OpenBLAS without cblas_sgemm / openblas_set_num_threads");
    // One thread per call: the simulator parallelizes over layers itself (--threads), and a fixed thread count keeps
    // the reference (and the SQNR in the reports) the same bits on every run. blas_thread_shutdown_ (exported by
    // pthread builds, absent from serial ones) stops the workers started at load; with one thread set, OpenBLAS does
    // not start them again.
    set_threads(1);
    using Shutdown = int (*)();
    if (auto shutdown = reinterpret_cast<Shutdown>(dlsym(lib, "blas_thread_shutdown_"))) shutdown();
    return b;
  }();
  return loaded;
}

}  // namespace

void open_float_reference_library() { blas(); }

void float_gemm_into(const float* a, const float* b, int64_t M, int64_t N, int64_t K, float* d, int64_t ldd) {
  const Blas& lib = blas();
  if (M == 0 || N == 0) return;
  lib.sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<blasint>(M), static_cast<blasint>(N),
            static_cast<blasint>(K), 1.0f, a, static_cast<blasint>(K), b, static_cast<blasint>(K), 0.0f, d,
            static_cast<blasint>(ldd));
}

std::vector<float> float_gemm(const std::vector<float>& a, const std::vector<float>& b, int64_t M, int64_t N,
                              int64_t K) {
  std::vector<float> d(static_cast<size_t>(M * N));
  float_gemm_into(a.data(), b.data(), M, N, K, d.data(), N);
  return d;
}

std::vector<int64_t> reference_rows(int64_t M, int64_t sample) {
  const int64_t n = sample <= 0 || sample >= M ? M : sample;
  std::vector<int64_t> rows(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) rows[static_cast<size_t>(j)] = n == M ? j : (2 * j + 1) * M / (2 * n);
  return rows;
}

std::vector<float> pick_rows(const std::vector<float>& a, const std::vector<int64_t>& rows, int64_t K) {
  std::vector<float> picked(rows.size() * static_cast<size_t>(K));
  for (size_t j = 0; j < rows.size(); ++j)
    std::memcpy(picked.data() + j * K, a.data() + rows[j] * K, static_cast<size_t>(K) * sizeof(float));
  return picked;
}

std::vector<float> float_gemm_rows(const std::vector<float>& a, const std::vector<float>& b,
                                   const std::vector<int64_t>& rows, int64_t N, int64_t K) {
  // Every row (the exact reference; rows are sorted and distinct): no copy of A.
  const int64_t n = static_cast<int64_t>(rows.size());
  if (static_cast<size_t>(n * K) == a.size()) return float_gemm(a, b, n, N, K);
  return float_gemm(pick_rows(a, rows, K), b, n, N, K);
}

namespace {
// Adds one row's squares to the totals, in element order (as the exact SQNR always summed), and with PerRow also to
// the row's own sums, which only a sampled reference's standard error needs (two dependency chains instead of four).
template <bool PerRow>
void add_squares(const float* o, const float* r, int64_t N, double& sig, double& noise, double& row_sig,
                 double& row_noise, int64_t& nonfinite) {
  double s = sig, n = noise, rs = row_sig, rn = row_noise;  // in registers: the references may alias
  for (int64_t i = 0; i < N; ++i) {
    if (!std::isfinite(o[i])) {
      ++nonfinite;
      continue;
    }
    const double rv = r[i], e = static_cast<double>(o[i]) - rv;
    s += rv * rv;
    n += e * e;
    if constexpr (PerRow) {
      rs += rv * rv;
      rn += e * e;
    }
  }
  sig = s, noise = n, row_sig = rs, row_noise = rn;
}
}  // namespace

Sqnr sqnr(const std::vector<float>& ref, const std::vector<float>& out) {
  return sqnr(ref.data(), out.data(), static_cast<int64_t>(ref.size()));
}

Sqnr sqnr(const float* ref, const float* out, int64_t n) { return sqnr_rows(ref, out, {0}, 1, n); }

Sqnr sqnr_rows(const std::vector<float>& ref, const std::vector<float>& out, const std::vector<int64_t>& rows,
               int64_t M, int64_t N) {
  return sqnr_rows(ref.data(), out.data(), rows, M, N);
}

Sqnr sqnr_rows(const float* ref, const float* out, const std::vector<int64_t>& rows, int64_t M, int64_t N) {
  Sqnr s;
  s.rows = static_cast<int64_t>(rows.size());
  s.rows_total = M;
  std::vector<double> row_sig(rows.size()), row_noise(rows.size());
  double sig = 0, noise = 0;
  for (size_t j = 0; j < rows.size(); ++j) {
    const float* o = out + rows[j] * N;
    const float* r = ref + static_cast<int64_t>(j) * N;
    if (s.sampled()) {
      add_squares<true>(o, r, N, sig, noise, row_sig[j], row_noise[j], s.nonfinite);
    } else {
      add_squares<false>(o, r, N, sig, noise, row_sig[j], row_noise[j], s.nonfinite);
    }
  }
  s.db = noise == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(sig / noise);
  // Standard error of 10 log10(S / E) for a sample of n rows out of M: var(ln S/E) ~ (1 - n/M) / n x
  // var_j(s_j / mean s - e_j / mean e) (delta method on the ratio of two sample means).
  const double n = static_cast<double>(rows.size());
  if (s.sampled() && n > 1 && sig > 0 && noise > 0) {
    const double ms = sig / n, me = noise / n;
    double sum = 0, sum2 = 0;
    for (size_t j = 0; j < rows.size(); ++j) {
      const double z = row_sig[j] / ms - row_noise[j] / me;
      sum += z;
      sum2 += z * z;
    }
    const double var = (sum2 - sum * sum / n) / (n - 1);
    const double fpc = 1.0 - n / static_cast<double>(M);
    s.se_db = 10.0 / std::log(10.0) * std::sqrt(std::max(0.0, var) * fpc / n);
  }
  return s;
}

}  // namespace nvfp4::sim
